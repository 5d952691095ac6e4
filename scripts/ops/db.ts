import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/env";
import type { OpsCommand } from "./registry";

/**
 * Backup and restore for both databases (runbooks/database-backup-restore.md).
 * Postgres: pg_dump / pg_restore in custom format (Postgres client tools on PATH).
 * PGlite: its own data-folder tarball (dumpDataDir / loadDataDir); the folder
 * must not be open in another process (stop `npm run dev` first).
 */
export type DbTarget = { kind: "postgres"; url: string } | { kind: "pglite"; dir: string };

export function configuredTarget(): DbTarget {
  return env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL } : { kind: "pglite", dir: env.PGLITE_DIR };
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

export async function backupDatabase(target: DbTarget, file: string): Promise<{ bytes: number }> {
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  if (target.kind === "postgres") {
    await run("pg_dump", ["--format=custom", "--no-owner", "--file", file, target.url]);
  } else {
    if (target.dir === "memory://") throw new Error("An in-memory PGlite database has nothing on disk to back up.");
    await fs.access(target.dir).catch(() => {
      throw new Error(`No PGlite database at ${target.dir}`);
    });
    const { PGlite } = await import("@electric-sql/pglite");
    const db = new PGlite(target.dir);
    try {
      // dumpDataDir on a PGlite that has not finished starting never resolves.
      await db.query("select 1");
      const dump = await db.dumpDataDir("gzip");
      await fs.writeFile(file, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await db.close();
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
    return {};
  }
  if (head === PG_MAGIC) throw new Error(`${file} is a Postgres backup; unset DATABASE_URL only to restore a PGlite backup`);
  if (target.dir === "memory://") throw new Error("Cannot restore into an in-memory PGlite database.");
  const { PGlite } = await import("@electric-sql/pglite");
  const blob = new Blob([await fs.readFile(file)]);
  // Restore into a fresh folder first, so a bad backup never destroys the current database.
  const staging = `${target.dir}.restoring-${Date.now()}`;
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
  if (await fs.stat(target.dir).catch(() => null)) {
    keptAside = `${target.dir}.before-restore-${Date.now()}`;
    await fs.rename(target.dir, keptAside);
  }
  await fs.rename(staging, target.dir);
  return { keptAside };
}

// `db backup <file>` · `db restore <file>`
export const dbCommand: OpsCommand = {
  summary: "back up or restore the database (Postgres via pg_dump, PGlite via its data-dir dump)",
  async run([verb, file]) {
    if (!file || !["backup", "restore"].includes(verb ?? "")) {
      console.error("Usage: db backup <file> | db restore <file>");
      return 2;
    }
    const target = configuredTarget();
    const where = target.kind === "postgres" ? "Postgres (DATABASE_URL)" : `PGlite at ${target.dir}`;
    if (verb === "backup") {
      const { bytes } = await backupDatabase(target, file);
      console.log(`Backed up ${where} to ${file} (${bytes} bytes)`);
    } else {
      const { keptAside } = await restoreDatabase(target, file);
      console.log(`Restored ${where} from ${file}${keptAside ? `; the previous folder is kept at ${keptAside}` : ""}`);
    }
  },
};
