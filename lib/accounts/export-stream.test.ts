import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import { asc, eq, sql } from "drizzle-orm";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/lib/database";
import { problemReports, projects, tasks } from "@/db/schema";
import { createTestUser } from "@/test/factories";
import { buildJsonExport, buildZipExport, type ExportStream } from "./export";

/**
 * The export is a stream, not a document built in memory: its first bytes
 * leave before the last section has been read. Proven without a clock: a row
 * written to the last section after the first chunk arrived is still in the
 * file (and in its manifest), which only happens if that section was read
 * after the response had started. Runs on PGlite (keyset pages) and, in the
 * Postgres phase, through the server-side cursor.
 */
const TASKS = 5_000; // several read batches, and far more bytes than any stream buffer between the reader and here

let db: Db;
beforeAll(async () => {
  db = await getDb();
});

async function accountWithManyTasks(): Promise<string> {
  const user = await createTestUser();
  const [project] = await db.insert(projects).values({ ownerId: user.id, name: "Big" }).returning();
  // Titles that compress poorly, so the ZIP too is far larger than its buffers.
  await db.execute(sql`insert into tasks (project_id, owner_id, title) select ${project!.id}, ${user.id}, md5(random()::text) || md5(g::text) from generate_series(1, ${TASKS}) g`);
  return user.id;
}

async function reportProblem(userId: string) {
  await db.insert(problemReports).values({ userId, reference: `BW-${crypto.randomUUID().slice(0, 8)}`, description: "written after the download started", context: { step: 2 } });
}

/** Reads the first chunk, runs `meanwhile`, then the rest; says whether the manifest was settled when the first chunk arrived. */
async function readAround(exported: ExportStream, meanwhile: () => Promise<void>): Promise<{ bytes: Buffer; manifestBeforeFirstChunk: boolean }> {
  let settled = false;
  void exported.manifest.then(() => (settled = true));
  const chunks = (exported.stream as Readable)[Symbol.asyncIterator]();
  const first = await chunks.next();
  expect(first.done).toBe(false);
  await Promise.resolve();
  const manifestBeforeFirstChunk = settled;
  await meanwhile();
  const rest: Buffer[] = [Buffer.from(first.value as Buffer)];
  for (let next = await chunks.next(); !next.done; next = await chunks.next()) rest.push(Buffer.from(next.value as Buffer));
  return { bytes: Buffer.concat(rest), manifestBeforeFirstChunk };
}

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");

describe("streamed export", () => {
  it("JSON: the first bytes leave before the last section is read; the manifest comes last and matches the rows", async () => {
    const userId = await accountWithManyTasks();
    const exported = buildJsonExport(db, userId);
    const { bytes, manifestBeforeFirstChunk } = await readAround(exported, () => reportProblem(userId));
    expect(manifestBeforeFirstChunk).toBe(false);
    const text = bytes.toString();
    const doc = JSON.parse(text);
    expect(Object.keys(doc).at(-1)).toBe("manifest");
    expect(doc.tasks).toHaveLength(TASKS);
    expect(doc.problem_reports).toHaveLength(1);
    expect(doc.manifest).toEqual(JSON.parse(JSON.stringify(await exported.manifest)));
    expect(doc.manifest.files["problem_reports.json"].count).toBe(1);
    // Every row is what the query builder gives, whichever way it was read (cursor or pages).
    const expectedTasks = await db.select().from(tasks).where(eq(tasks.ownerId, userId)).orderBy(asc(tasks.id));
    expect(doc.tasks).toEqual(JSON.parse(JSON.stringify(expectedTasks)));
    const expectedReports = await db.select().from(problemReports).where(eq(problemReports.userId, userId));
    expect(doc.problem_reports).toEqual(JSON.parse(JSON.stringify(expectedReports)));
  });

  it("ZIP: the first bytes leave before the last section is read; manifest.json is written last with every count and sha256", async () => {
    const userId = await accountWithManyTasks();
    const exported = buildZipExport(db, userId);
    const { bytes, manifestBeforeFirstChunk } = await readAround(exported, () => reportProblem(userId));
    expect(manifestBeforeFirstChunk).toBe(false);
    const zip = await JSZip.loadAsync(bytes);
    expect(Object.keys(zip.files).slice(-2)).toEqual(["manifest.json", "README.txt"]);
    const manifest = JSON.parse(await zip.file("manifest.json")!.async("string"));
    expect(manifest).toEqual(JSON.parse(JSON.stringify(await exported.manifest)));
    expect(manifest.files["tasks.json"].count).toBe(TASKS);
    expect(manifest.files["problem_reports.json"].count).toBe(1);
    for (const [file, entry] of Object.entries(manifest.files as Record<string, { sha256: string; bytes: number }>)) {
      const content = await zip.file(file)!.async("nodebuffer");
      expect(content.length, file).toBe(entry.bytes);
      expect(sha256(content), file).toBe(entry.sha256);
    }
  });

  it("a download cancelled midway stops reading and gives its connection back", async () => {
    const userId = await accountWithManyTasks();
    // More cancelled downloads of each kind than the pool has connections (10): a cursor left open would hold one each.
    for (let i = 0; i < 11; i++) {
      for (const exported of [buildJsonExport(db, userId), buildZipExport(db, userId)]) {
        // Far enough in that the tasks section is being read (its cursor open), not yet at its end.
        const chunks = exported.stream[Symbol.asyncIterator]();
        for (let read = 0; read < 64 * 1024; ) {
          const next = await chunks.next();
          expect(next.done).toBe(false);
          read += (next.value as Buffer).length;
        }
        await chunks.return!();
        expect(exported.stream.destroyed).toBe(true);
      }
    }
    const again = buildJsonExport(db, userId);
    const parts: Buffer[] = [];
    for await (const chunk of again.stream) parts.push(Buffer.from(chunk as Buffer));
    expect(JSON.parse(Buffer.concat(parts).toString()).tasks).toHaveLength(TASKS);
  });
});
