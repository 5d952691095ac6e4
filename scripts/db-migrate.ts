// Applies committed migrations (idempotent): the deploy step. A production server never migrates; it refuses a database this step has not brought up to its build.
// A pending migration marked risky (db/migration-safety.ts) is preceded by a backup: `--backup-dir <dir>`, default .data/backups.
import { closeDb, databaseKind, getDb, migrationsFolder } from "@/lib/database";
import { configuredTarget } from "./ops/dump";
import { option } from "./ops/options";
import { migrateSafely } from "./lib/migrate-safely";

try {
  const plan = await migrateSafely({
    target: configuredTarget(),
    migrationsFolder,
    backupDir: option(process.argv.slice(2), "backup-dir") ?? ".data/backups",
    apply: async () => void (await getDb()),
  });
  if (plan.backup) console.log(`Backed up to ${plan.backup} before ${plan.risky.map((m) => m.tag).join(", ")} (marked risky); restore with: npm run ops -- db restore ${plan.backup}`);
  console.log(`Migrations applied (${await databaseKind()}): ${plan.pending.length === 0 ? "none pending" : plan.pending.map((m) => m.tag).join(", ")}.`);
} catch (error) {
  // E.g. the embedded database is open in `npm run dev`: the message says so and what to do.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDb();
}
