import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { and, asc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import JSZip from "jszip";
import type { Executor } from "@/db/client";
import { auditEvents, invoices, notifications, problemReports, projects, subscriptions, tasks, users } from "@/db/schema";

export const EXPORT_FORMAT_VERSION = 1;
export const EXPORT_FORMATS = ["json", "zip"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Rows are read in keyset pages so a large account never sits in one result set. */
const PAGE = 2_000;

type Section = { file: string; describe: string; rows: AsyncIterable<unknown> };

async function* paged<T extends Record<string, unknown>>(
  db: Executor,
  table: PgTable,
  key: PgColumn,
  where: SQL | undefined,
  keyOf: (row: T) => string | number,
): AsyncGenerator<T> {
  let after: string | number | null = null;
  for (;;) {
    const rows = (await db
      .select()
      .from(table)
      .where(and(where, after === null ? undefined : gt(key, after)))
      .orderBy(asc(key))
      .limit(PAGE)) as T[];
    for (const row of rows) yield row;
    if (rows.length < PAGE) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

async function* once<T>(load: () => Promise<T[]>): AsyncGenerator<T> {
  for (const row of await load()) yield row;
}

/** Every section of an export, in file order. Each query is scoped to the one user. */
export function exportSections(db: Executor, userId: string): Section[] {
  const byId = (r: { id: string }) => r.id;
  return [
    {
      file: "profile.json",
      describe: "Your account: name, email, role, status and when it was created. The password hash is never exported.",
      rows: once(() =>
        db.select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, createdAt: users.createdAt }).from(users).where(eq(users.id, userId)),
      ),
    },
    { file: "projects.json", describe: "Your projects, including those in the trash (deletedAt is set for trashed ones).", rows: paged(db, projects, projects.id, eq(projects.ownerId, userId), byId) },
    { file: "tasks.json", describe: "The tasks inside your projects, including deleted ones.", rows: paged(db, tasks, tasks.id, eq(tasks.ownerId, userId), byId) },
    { file: "subscription.json", describe: "Your subscription: plan, status and current period.", rows: once(() => db.select().from(subscriptions).where(eq(subscriptions.userId, userId))) },
    { file: "invoices.json", describe: "Every invoice we issued you.", rows: paged(db, invoices, invoices.id, eq(invoices.userId, userId), byId) },
    { file: "notifications.json", describe: "Emails we queued or sent you, with their delivery status.", rows: paged(db, notifications, notifications.id, eq(notifications.userId, userId), byId) },
    {
      file: "audit_events.json",
      describe: "Audit log entries where you were the actor or the target.",
      rows: paged(db, auditEvents, auditEvents.id, or(eq(auditEvents.actorId, userId), and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, userId))), (r: { id: number }) => r.id),
    },
    { file: "problem_reports.json", describe: "Problems you reported.", rows: paged(db, problemReports, problemReports.id, eq(problemReports.userId, userId), byId) },
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

/** Serialises one section as a JSON array, row by row, hashing as it goes. */
async function renderSection(section: Section): Promise<{ data: Buffer; entry: ManifestEntry }> {
  const chunks: Buffer[] = [];
  const digest = createHash("sha256");
  let count = 0;
  const push = (s: string) => {
    const b = Buffer.from(s);
    digest.update(b);
    chunks.push(b);
  };
  push("[");
  for await (const row of section.rows) {
    push(`${count === 0 ? "\n" : ",\n"}${JSON.stringify(row)}`);
    count++;
  }
  push(count === 0 ? "]\n" : "\n]\n");
  const data = Buffer.concat(chunks);
  return { data, entry: { count, bytes: data.length, sha256: digest.digest("hex"), describe: section.describe } };
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

/** Builds a ZIP export: README.txt, manifest.json and one JSON file per section. Returns a Node stream. */
export async function buildZipExport(db: Executor, userId: string, now = new Date()): Promise<{ stream: Readable; manifest: ExportManifest }> {
  const zip = new JSZip();
  const manifest: ExportManifest = { formatVersion: EXPORT_FORMAT_VERSION, exportedAt: now.toISOString(), userId, files: {} };
  for (const section of exportSections(db, userId)) {
    const { data, entry } = await renderSection(section);
    zip.file(section.file, data, { date: now });
    manifest.files[section.file] = entry;
  }
  zip.file("manifest.json", JSON.stringify(manifest, null, 2), { date: now });
  zip.file("README.txt", readme(manifest), { date: now });
  const legacy = zip.generateNodeStream({ type: "nodebuffer", streamFiles: true, compression: "DEFLATE", compressionOptions: { level: 1 } });
  // JSZip hands back an old-style stream; wrap it so callers get a modern, async-iterable Readable.
  const stream = new Readable({ read() {} }).wrap(legacy);
  return { stream, manifest };
}

/** Builds the JSON export: one document with the manifest and every section. */
export async function buildJsonExport(db: Executor, userId: string, now = new Date()): Promise<{ body: string; manifest: ExportManifest }> {
  const manifest: ExportManifest = { formatVersion: EXPORT_FORMAT_VERSION, exportedAt: now.toISOString(), userId, files: {} };
  const parts: string[] = [];
  for (const section of exportSections(db, userId)) {
    const { data, entry } = await renderSection(section);
    manifest.files[section.file] = entry;
    parts.push(`${JSON.stringify(section.file.replace(/\.json$/, ""))}: ${data.toString().trimEnd()}`);
  }
  return { body: `{"manifest": ${JSON.stringify(manifest)},\n${parts.join(",\n")}\n}\n`, manifest };
}
