import fs from "node:fs";
import path from "node:path";
import { isRisky, readMigrations, type Migration } from "@/db/migration-safety";
import { claimPgliteFolder } from "@/lib/database";
import { backupDatabase, type DbTarget } from "../ops/dump";

/**
 * `npm run db:migrate` as a deploy step that cannot surprise you: before
 * applying a pending migration marked risky (a contract step, or `-- risky:`),
 * it backs the database up, and refuses to migrate when the backup fails.
 */
export type MigratePlan = { pending: Migration[]; risky: Migration[]; backup: string | null };

/** The newest migration applied (drizzle's journal stores each one's `when`), or null on a database without a journal. */
export async function appliedUpTo(target: DbTarget): Promise<number | null> {
  const query = "select max(created_at)::text as newest from drizzle.__drizzle_migrations";
  if (target.kind === "postgres") {
    const postgres = (await import("postgres")).default;
    const sql = postgres(target.url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
    try {
      const [row] = await sql.unsafe<{ newest: string | null }[]>(query);
      return row?.newest ? Number(row.newest) : null;
    } catch (error) {
      // 3F000: no drizzle schema; 42P01: no journal table. Either way, nothing was ever migrated here.
      if (["3F000", "42P01"].includes((error as { code?: string }).code ?? "")) return null;
      throw error;
    } finally {
      await sql.end({ timeout: 1 });
    }
  }
  if (target.dir === "memory://" || !fs.existsSync(target.dir)) return null;
  const lock = claimPgliteFolder(target.dir, { holder: "npm run db:migrate" });
  const { PGlite } = await import("@electric-sql/pglite");
  const db = new PGlite(target.dir);
  try {
    const { rows } = await db.query<{ newest: string | null }>(query).catch(() => ({ rows: [] as { newest: string | null }[] }));
    return rows[0]?.newest ? Number(rows[0].newest) : null;
  } finally {
    await db.close();
    lock.release();
  }
}

/** Backs up first when a pending migration is risky, then runs `apply` (which migrates). */
export async function migrateSafely(options: { target: DbTarget; migrationsFolder: string; backupDir: string; apply: () => Promise<void>; now?: Date }): Promise<MigratePlan> {
  const applied = await appliedUpTo(options.target);
  const pending = readMigrations(options.migrationsFolder).filter((m) => applied === null || m.when > applied);
  const risky = pending.filter(isRisky);
  let backup: string | null = null;
  // A database without a journal holds nothing the migrations could lose.
  if (risky.length > 0 && applied !== null) {
    const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, "-");
    backup = path.join(options.backupDir, `pre-migrate-${risky[0]!.tag}-${stamp}.dump`);
    try {
      await backupDatabase(options.target, backup);
    } catch (error) {
      throw new Error(`Refusing to migrate: ${risky.map((m) => m.tag).join(", ")} is marked risky and the backup failed: ${error instanceof Error ? error.message : error}`);
    }
  }
  await options.apply();
  return { pending, risky, backup };
}
