import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { backupDatabase, restoreDatabase, type DbTarget } from "./db";

/**
 * The backup and restore runbook is real: back up, change data, restore,
 * compare. On PGlite always; on Postgres when DATABASE_URL is set (in a
 * database of its own, so the shared test database is never clobbered).
 */
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "bw-backup-"));
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await fs.rm(tmp, { recursive: true, force: true });
});

type Client = { query: (sql: string) => Promise<{ rows: Record<string, unknown>[] }>; close: () => Promise<void> };

async function exercise(target: DbTarget, open: () => Promise<Client>) {
  const a = `a-${crypto.randomUUID()}@example.test`;
  const b = `b-${crypto.randomUUID()}@example.test`;
  let db = await open();
  await db.query(`insert into users (email, name) values ('${a}', 'Before backup')`);
  const before = (await db.query(`select email, name from users order by email`)).rows;
  await db.close();

  const file = path.join(tmp, `${target.kind}-${Date.now()}.dump`);
  const { bytes } = await backupDatabase(target, file);
  expect(bytes).toBeGreaterThan(0);

  db = await open();
  await db.query(`update users set name = 'Changed after backup' where email = '${a}'`);
  await db.query(`insert into users (email, name) values ('${b}', 'Added after backup')`);
  expect((await db.query(`select email from users where email = '${b}'`)).rows).toHaveLength(1);
  await db.close();

  await restoreDatabase(target, file);

  db = await open();
  const after = (await db.query(`select email, name from users order by email`)).rows;
  await db.close();
  expect(after).toEqual(before);
  expect(after.find((r) => r.email === a)?.name).toBe("Before backup");
  expect(after.some((r) => r.email === b)).toBe(false);
}

describe("npm run ops -- db backup / db restore", () => {
  it.skipIf(Boolean(process.env.DATABASE_URL))("PGlite: backs up, changes data, restores and compares", { timeout: 180_000 }, async () => {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    const { migrationsFolder } = await import("@/lib/database");
    const dir = path.join(tmp, "pglite");
    const first = new PGlite(dir);
    await migrate(drizzle({ client: first }), { migrationsFolder });
    await first.close();
    await exercise({ kind: "pglite", dir }, async () => {
      const client = new PGlite(dir);
      return { query: (q) => client.query<Record<string, unknown>>(q), close: () => client.close() };
    });
  });

  it.skipIf(!process.env.DATABASE_URL)("Postgres: backs up, changes data, restores and compares", { timeout: 120_000 }, async () => {
    const postgres = (await import("postgres")).default;
    const { drizzle } = await import("drizzle-orm/postgres-js");
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    const { migrationsFolder } = await import("@/lib/database");
    // Creating a database is the owner's work; the app's own role may not.
    const ownerUrl = process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL!;
    const admin = postgres(ownerUrl, { max: 1, onnotice: () => {} });
    const name = `bw_backup_${crypto.randomUUID().replace(/-/g, "").slice(0, 12)}`;
    await admin.unsafe(`create database ${name}`);
    cleanups.push(async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    });
    const url = new URL(ownerUrl);
    url.pathname = `/${name}`;
    const m = postgres(url.toString(), { max: 1, onnotice: () => {} });
    await migrate(drizzle({ client: m }), { migrationsFolder });
    await m.end();
    await exercise({ kind: "postgres", url: url.toString() }, async () => {
      const client = postgres(url.toString(), { max: 1, onnotice: () => {} });
      return { query: async (q) => ({ rows: [...(await client.unsafe(q))] as Record<string, unknown>[] }), close: () => client.end() };
    });
  });

  it("refuses a file that is not a backup, and changes nothing", async () => {
    const junk = path.join(tmp, "junk.dump");
    await fs.writeFile(junk, "not a backup");
    await expect(restoreDatabase({ kind: "postgres", url: "postgres://127.0.0.1:1/none" }, junk)).rejects.toThrow(/not a pg_dump/);
    const dir = path.join(tmp, "never-created");
    await expect(restoreDatabase({ kind: "pglite", dir }, junk)).rejects.toThrow(/could not be loaded/);
    await expect(fs.stat(dir)).rejects.toThrow();
    await expect(restoreDatabase({ kind: "pglite", dir }, path.join(tmp, "missing.dump"))).rejects.toThrow(/Cannot read backup file/);
  });
});
