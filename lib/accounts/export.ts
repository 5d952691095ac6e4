import "server-only";
import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { and, eq, or, sql } from "drizzle-orm";
import JSZip from "jszip";
import { streamRows, type Executor, type RowSource } from "@/lib/database";
import { auditEvents, invoices, notifications, problemReports, projects, subscriptions, tasks, users } from "@/db/schema";

export const EXPORT_FORMAT_VERSION = 1;
export const EXPORT_FORMATS = ["json", "zip"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * Rows are read in batches from a server-side cursor (keyset pages on PGlite),
 * so a large account never sits in memory: each batch is serialised, hashed
 * and handed to the response before the next is read.
 */
const READ = { batchSize: 1_000, timeLimitMs: 10 * 60_000 };

type Section = { file: string; describe: string; rows: () => AsyncIterable<unknown[]> };

function paged(db: Executor, source: RowSource): () => AsyncIterable<unknown[]> {
  return () => streamRows(db, source, READ);
}

function once<T>(load: () => Promise<T[]>): () => AsyncIterable<unknown[]> {
  return async function* () {
    yield await load();
  };
}

/** Every section of an export, in file order. Each query is scoped to the one user. */
export function exportSections(db: Executor, userId: string): Section[] {
  return [
    {
      file: "profile.json",
      describe: "Your account: name, email, role, status and when it was created. The password hash is never exported.",
      rows: once(() =>
        db.select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, createdAt: users.createdAt }).from(users).where(eq(users.id, userId)),
      ),
    },
    { file: "projects.json", describe: "Your projects, including those in the trash (deletedAt is set for trashed ones).", rows: paged(db, { table: projects, key: projects.id, where: eq(projects.ownerId, userId) }) },
    { file: "tasks.json", describe: "The tasks inside your projects, including deleted ones.", rows: paged(db, { table: tasks, key: tasks.id, where: eq(tasks.ownerId, userId) }) },
    { file: "subscription.json", describe: "Your subscription: plan, status and current period.", rows: once(() => db.select().from(subscriptions).where(eq(subscriptions.userId, userId))) },
    { file: "invoices.json", describe: "Every invoice we issued you.", rows: paged(db, { table: invoices, key: invoices.id, where: eq(invoices.userId, userId) }) },
    { file: "notifications.json", describe: "Emails we queued or sent you, with their delivery status.", rows: paged(db, { table: notifications, key: notifications.id, where: eq(notifications.userId, userId) }) },
    {
      file: "audit_events.json",
      describe: "Audit log entries where you were the actor or the target.",
      rows: paged(db, { table: auditEvents, key: auditEvents.id, where: or(eq(auditEvents.actorId, userId), and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, userId))) }),
    },
    { file: "problem_reports.json", describe: "Problems you reported.", rows: paged(db, { table: problemReports, key: problemReports.id, where: eq(problemReports.userId, userId) }) },
    {
      file: "sessions.json",
      describe: "Your active sign-in sessions: their shared revocation version and your recent successful sign-ins.",
      rows: once(async () => {
        const [u] = await db.select({ sessionVersion: users.sessionVersion }).from(users).where(eq(users.id, userId));
        const signIns = await db
          .select({ at: auditEvents.occurredAt, metadata: auditEvents.metadata })
          .from(auditEvents)
          .where(and(eq(auditEvents.action, "auth.sign_in"), eq(auditEvents.actorId, userId), eq(auditEvents.outcome, "success")))
          .orderBy(sql`${auditEvents.id} desc`)
          .limit(20);
        return [{ sessionVersion: u?.sessionVersion ?? null, recentSignIns: signIns }];
      }),
    },
  ];
}

export type ManifestEntry = { count: number; bytes: number; sha256: string; describe: string };
export type ExportManifest = { formatVersion: number; exportedAt: string; userId: string; files: Record<string, ManifestEntry> };

/**
 * Collects the manifest while the sections stream: each section reports its
 * entry when its last row is written; `done` settles once every one has
 * (or fails with the first section that could not be read).
 */
function manifestCollector(userId: string, now: Date, sections: Section[]) {
  const manifest: ExportManifest = { formatVersion: EXPORT_FORMAT_VERSION, exportedAt: now.toISOString(), userId, files: {} };
  let settle!: { resolve: (m: ExportManifest) => void; reject: (e: unknown) => void };
  const done = new Promise<ExportManifest>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => {}); // the stream reports the failure; nobody need await this
  return {
    done,
    record(file: string, entry: ManifestEntry) {
      manifest.files[file] = entry;
      if (Object.keys(manifest.files).length === sections.length) settle.resolve(manifest);
    },
    fail: (error: unknown) => settle.reject(error),
  };
}

type Collector = ReturnType<typeof manifestCollector>;

/** Serialises one section as a JSON array, batch by batch, hashing as it goes. The bytes are those of the ZIP's file. */
async function* renderSection(section: Section, collector: Collector): AsyncGenerator<Buffer> {
  const digest = createHash("sha256");
  let count = 0;
  let bytes = 0;
  const emit = (text: string) => {
    const b = Buffer.from(text);
    digest.update(b);
    bytes += b.length;
    return b;
  };
  try {
    yield emit("[");
    for await (const batch of section.rows()) {
      let text = "";
      for (const row of batch) text += `${count++ === 0 ? "\n" : ",\n"}${JSON.stringify(row)}`;
      if (text) yield emit(text);
    }
    yield emit(count === 0 ? "]\n" : "\n]\n");
  } catch (error) {
    collector.fail(error);
    throw error;
  }
  collector.record(section.file, { count, bytes, sha256: digest.digest("hex"), describe: section.describe });
}
function readme(manifest: ExportManifest): string {
  const lines = [
    "Breakwater data export",
    "======================",
    "",
    `Exported at ${manifest.exportedAt} (format version ${manifest.formatVersion}).`,
    "Every file is a JSON array with one object per record. manifest.json lists each file",
    "with its record count and sha256, so you can check nothing was lost or altered:",
    "  sha256sum <file>   must print the sha256 in manifest.json.",
    "",
    "Files:",
    ...Object.entries(manifest.files).map(([file, e]) => `  ${file.padEnd(22)} ${e.count} record(s). ${e.describe}`),
    "",
  ];
  return lines.join("\n");
}

export type ExportStream = { stream: Readable; manifest: Promise<ExportManifest> };

/**
 * Builds a ZIP export as a stream: one JSON file per section, then
 * manifest.json and README.txt, written last because they carry every
 * section's count and sha256. JSZip reads each file's stream only when it
 * reaches that file and honours backpressure, with data descriptors
 * (`streamFiles`) so no entry is buffered to learn its size first.
 */
export function buildZipExport(db: Executor, userId: string, now = new Date()): ExportStream {
  const sections = exportSections(db, userId);
  const collector = manifestCollector(userId, now, sections);
  const zip = new JSZip();
  const inputs = sections.map((section) => Readable.from(renderSection(section, collector)));
  sections.forEach((section, i) => zip.file(section.file, inputs[i]!, { date: now, binary: true }));
  const manifestFile = new PassThrough();
  const readmeFile = new PassThrough();
  zip.file("manifest.json", manifestFile, { date: now, binary: true });
  zip.file("README.txt", readmeFile, { date: now, binary: true });
  collector.done.then(
    (manifest) => {
      manifestFile.end(JSON.stringify(manifest, null, 2));
      readmeFile.end(readme(manifest));
    },
    (error: unknown) => {
      manifestFile.destroy(error as Error);
      readmeFile.destroy(error as Error);
    },
  );
  const legacy = zip.generateNodeStream({ type: "nodebuffer", streamFiles: true, compression: "DEFLATE", compressionOptions: { level: 1 } });
  // JSZip hands back an old-style stream; wrap it so callers get a modern, async-iterable Readable.
  const stream = new Readable({ read() {} }).wrap(legacy);
  // A cancelled download must end the section reads too: each may hold a database connection for its cursor.
  stream.once("close", () => {
    for (const input of [...inputs, manifestFile, readmeFile]) if (!input.destroyed) input.destroy();
  });
  return { stream, manifest: collector.done };
}

/**
 * Builds the JSON export as a stream: one document with every section, then
 * the manifest (last: it carries each section's count and sha256, computed
 * over the same bytes as the ZIP's files).
 */
export function buildJsonExport(db: Executor, userId: string, now = new Date()): ExportStream {
  const sections = exportSections(db, userId);
  const collector = manifestCollector(userId, now, sections);
  async function* document(): AsyncGenerator<Buffer | string> {
    yield "{";
    for (const [i, section] of sections.entries()) {
      yield `${i === 0 ? "" : ",\n"}${JSON.stringify(section.file.replace(/\.json$/, ""))}: `;
      // The section's closing newline ends a file; inside the document the comma follows the bracket.
      let held: Buffer | null = null;
      for await (const chunk of renderSection(section, collector)) {
        if (held) yield held;
        held = chunk;
      }
      if (held) yield held.subarray(0, held.length - 1);
    }
    yield `,\n"manifest": ${JSON.stringify(await collector.done)}\n}\n`;
  }
  return { stream: Readable.from(document(), { objectMode: false }), manifest: collector.done };
}
