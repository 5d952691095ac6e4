import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { migrationsFolder } from "@/lib/database";
import { restoreDatabase, type DbTarget } from "../ops/dump";
import { migrateSafely } from "./migrate-safely";

/**
 * `db:migrate` backs up before a risky migration, and that backup restores
 * what the migration removed. On PGlite always; on Postgres when
 * DATABASE_URL is set (in a database of its own).
 */
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "bw-migrate-"));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await fs.rm(tmp, { recursive: true, force: true });
});

type Journal = { entries: { idx: number; version: string; when: number; tag: string; breakpoints: boolean }[] };

/** A copy of the committed migrations, to which a test appends its own. */
async function migrationsCopy(name: string) {
  const folder = path.join(tmp, name);
  await fs.cp(migrationsFolder, folder, { recursive: true });
  const journalFile = path.join(folder, "meta", "_journal.json");
  const add = async (tag: string, sql: string) => {
    const journal = JSON.parse(await fs.readFile(journalFile, "utf8")) as Journal;
    const last = journal.entries.at(-1)!;
    journal.entries.push({ idx: last.idx + 1, version: last.version, when: last.when + 1000, tag, breakpoints: true });
    await fs.writeFile(path.join(folder, `${tag}.sql`), sql);
    await fs.writeFile(journalFile, JSON.stringify(journal, null, 2));
  };
  return { folder, add };
}

type Client = { query: (sql: string) => Promise<Record<string, unknown>[]>; migrate: (folder: string) => Promise<void>; close: () => Promise<void> };

async function exercise(name: string, target: DbTarget, open: () => Promise<Client>) {
  const { folder, add } = await migrationsCopy(name);
  const backupDir = path.join(tmp, `${name}-backups`);
  const apply = async () => {
    const c = await open();
    try {
      await c.migrate(folder);
    } finally {
      await c.close();
    }
  };
  const sql = async (q: string) => {
    const c = await open();
    try {
      return await c.query(q);
    } finally {
      await c.close();
    }
  };

  // Expand: a table with a column the next release stops using. Additive, so no backup.
  await add("9000_demo_notes", `CREATE TABLE "demo_notes" ("id" integer PRIMARY KEY NOT NULL, "legacy" text);`);
  const expand = await migrateSafely({ target, migrationsFolder: folder, backupDir, apply });
  expect(expand.backup).toBeNull();
  await sql(`insert into demo_notes (id, legacy) values (1, 'kept by the backup')`);

  // A second additive migration on a database with data: still no backup.
  await add("9001_demo_notes_body", `ALTER TABLE "demo_notes" ADD COLUMN "body" text;`);
  const additive = await migrateSafely({ target, migrationsFolder: folder, backupDir, apply });
  expect(additive).toMatchObject({ backup: null, risky: [], pending: [expect.objectContaining({ tag: "9001_demo_notes_body" })] });

  // Contract: drops the column. Marked, so a backup comes first…
  await add("9002_demo_notes_drop_legacy", `-- step: contract\n-- follows: 9000_demo_notes\n-- why: no build reads legacy any more\nALTER TABLE "demo_notes" DROP COLUMN "legacy";`);
  const contract = await migrateSafely({ target, migrationsFolder: folder, backupDir, apply });
  expect(contract.risky.map((m) => m.tag)).toEqual(["9002_demo_notes_drop_legacy"]);
  expect(contract.backup).toMatch(/pre-migrate-9002_demo_notes_drop_legacy-.*\.dump$/);
  expect((await fs.stat(contract.backup!)).size).toBeGreaterThan(0);
  await expect(sql(`select legacy from demo_notes`)).rejects.toThrow(/legacy/);

  // …and the backup restores what the migration removed.
  await restoreDatabase(target, contract.backup!);
  expect(await sql(`select id, legacy from demo_notes`)).toEqual([{ id: 1, legacy: "kept by the backup" }]);

  // A risky migration whose backup cannot be written is not applied.
  await add("9003_demo_notes_risky", `-- risky: rewrites every row\nUPDATE "demo_notes" SET "body" = 'rewritten';`);
  const blocked = path.join(tmp, `${name}-not-a-folder`);
  await fs.writeFile(blocked, "a file where the backup folder should be");
  const neverApplied = vi.fn(apply);
  await expect(migrateSafely({ target, migrationsFolder: folder, backupDir: blocked, apply: neverApplied })).rejects.toThrow(/Refusing to migrate: .*9003_demo_notes_risky is marked risky and the backup failed/);
  expect(neverApplied).not.toHaveBeenCalled();
}

describe("db:migrate backs up before a risky migration", () => {
  it.skipIf(Boolean(process.env.DATABASE_URL))("PGlite", { timeout: 240_000 }, async () => {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const dir = path.join(tmp, "pglite");
    await exercise("pglite", { kind: "pglite", dir }, async () => {
      const client = new PGlite(dir);
      return {
        query: async (q) => (await client.query<Record<string, unknown>>(q)).rows,
        migrate: (folder) => migrate(drizzle({ client }), { migrationsFolder: folder }),
        close: () => client.close(),
      };
    });
  });

  it.skipIf(!process.env.DATABASE_URL)("Postgres", { timeout: 180_000 }, async () => {
    const postgres = (await import("postgres")).default;
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    // Creating a database is the owner's work; the app's own role may not.
    const ownerUrl = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL!;
    const admin = postgres(ownerUrl, { max: 1, onnotice: () => {} });
    const name = `bw_migrate_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
    await admin.unsafe(`create database ${name}`);
    cleanups.push(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
    const url = new URL(ownerUrl);
    url.pathname = `/${name}`;
    await exercise("postgres", { kind: "postgres", url: url.toString() }, async () => {
      const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
      return {
        query: async (q) => [...(await client.unsafe(q))] as Record<string, unknown>[],
        migrate: (folder) => migrate(drizzle({ client }), { migrationsFolder: folder }),
        close: () => client.end(),
      };
    });
  });
});
