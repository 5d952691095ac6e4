import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { claimPgliteFolder } from "@/lib/database";
import { env } from "@/lib/env";

/**
 * Backup and restore for both databases (runbooks/database-backup-restore.md).
 * Postgres: pg_dump / pg_restore in custom format (Postgres client tools on PATH).
 * PGlite: its own data-folder tarball (dumpDataDir / loadDataDir); the folder
 * must not be open in another process, and is refused when it is (stop `npm run dev` first).
 */
export type DbTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string };

/** Backups read, and restores recreate, every table: that is the schema owner's work (DATABASE_OWNER_URL) where there is one. */
export function configuredTarget(): DbTarget {
  const url = env.DATABASE_OWNER_URL ?? env.DATABASE_URL;
  return url ? { kind: "postgres", url } : { kind: "pglite", dir: env.PGLITE_DIR };
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", (error: NodeJS.ErrnoException) =>
      reject(error.code === "ENOENT" ? new Error(`${command} not found: install the Postgres client tools (apt-get install postgresql-client)`) : error),
    );
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${stderr.trim().split("\n").slice(-3).join(" ")}`))));
  });
}

const PG_MAGIC = "PGDMP";

/**
 * A restore without owners recreates the audit retention function as the
 * restoring role; with least-privilege roles it belongs to
 * breakwater_audit_purger (db/migrations, "audit_roles"), so it is handed back.
 */
async function restoreRetentionOwner(url: string): Promise<void> {
  const postgres = (await import("postgres")).default;
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DO $$
      DECLARE purge regprocedure := to_regprocedure('audit_retention_purge(text,timestamptz,bigint,text)');
      BEGIN
        IF purge IS NOT NULL AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'breakwater_audit_purger')
           AND (SELECT proowner FROM pg_proc WHERE oid = purge) <> 'breakwater_audit_purger'::regrole THEN
          GRANT CREATE ON SCHEMA public TO breakwater_audit_purger;
          ALTER FUNCTION audit_retention_purge(text, timestamptz, bigint, text) OWNER TO breakwater_audit_purger;
          REVOKE CREATE ON SCHEMA public FROM breakwater_audit_purger;
        END IF;
      END $$`);
  } finally {
    await sql.end();
  }
}

export async function backupDatabase(target: DbTarget, file: string): Promise<{ bytes: number }> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  if (target.kind === "postgres") {
    await run("pg_dump", ["--format=custom", "--no-owner", "--file", file, target.url]);
  } else {
    if (target.dir === "memory://") throw new Error("An in-memory PGlite database has nothing on disk to back up.");
    await fs.access(target.dir).catch(() => {
      throw new Error(`No PGlite database at ${target.dir}`);
    });
    const lock = claimPgliteFolder(target.dir);
    const { PGlite } = await import("@electric-sql/pglite");
    const db = new PGlite(target.dir);
    try {
      // dumpDataDir on a PGlite that has not finished starting never resolves.
      await db.query("select 1");
      const dump = await db.dumpDataDir("gzip");
      await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await db.close();
      lock.release();
    }
  }
  return { bytes: (await fs.stat(file)).size };
}

export async function restoreDatabase(target: DbTarget, file: string): Promise<{ keptAside?: string }> {
  const head = await fs.readFile(file).then((b) => b.subarray(0, 5).toString("latin1")).catch(() => {
    throw new Error(`Cannot read backup file ${file}`);
  });
  if (target.kind === "postgres") {
    if (head !== PG_MAGIC) throw new Error(`${file} is not a pg_dump custom-format backup`);
    await run("pg_restore", ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", target.url, file]);
    await restoreRetentionOwner(target.url);
    return {};
  }
  if (head === PG_MAGIC) throw new Error(`${file} is a Postgres backup; unset DATABASE_URL only to restore a PGlite backup`);
  if (target.dir === "memory://") throw new Error("Cannot restore into an in-memory PGlite database.");
  const lock = claimPgliteFolder(target.dir);
  try {
    return await restorePgliteFolder(target.dir, file);
  } finally {
    lock.release();
  }
}

async function restorePgliteFolder(dir: string, file: string): Promise<{ keptAside?: string }> {
  const { PGlite } = await import("@electric-sql/pglite");
  const blob = new Blob([await fs.readFile(file)]);
  // Restore into a fresh folder first, so a bad backup never destroys the current database.
  const staging = `${dir}.restoring-${Date.now()}`;
  const restored = new PGlite(staging, { loadDataDir: blob });
  try {
    await restored.query("select 1");
  } catch (error) {
    await restored.close().catch(() => {});
    await fs.rm(staging, { recursive: true, force: true });
    throw new Error(`Backup ${file} could not be loaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  await restored.close();
  let keptAside: string | undefined;
  if (await fs.stat(dir).catch(() => null)) {
    keptAside = `${dir}.before-restore-${Date.now()}`;
    await fs.rename(dir, keptAside);
  }
  await fs.rename(staging, dir);
  return { keptAside };
}
