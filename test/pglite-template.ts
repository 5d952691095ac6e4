import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";

/**
 * Vitest global setup: migrates one in-memory PGlite and dumps it, so each test
 * file's throwaway database starts from that copy (PGLITE_TEMPLATE) instead of
 * running initdb and every migration again. Built from this checkout's
 * migrations on every run, so it never lags behind them.
 */
export default async function setup(): Promise<() => void> {
  if (process.env.DATABASE_URL) return () => {};
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bw-pglite-template-"));
  const file = path.join(dir, "migrated.tar");
  const client = new PGlite();
  await migrate(drizzle({ client }), { migrationsFolder: path.join(import.meta.dirname, "..", "db", "migrations") });
  const dump = await client.dumpDataDir("none");
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await client.close();
  // Forked workers start after this and inherit the variable.
  process.env.PGLITE_TEMPLATE = file;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
