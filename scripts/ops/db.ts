import { backupDatabase, configuredTarget } from "./dump";
import { env } from "@/lib/env";
import type { OpsCommand } from "./command";

export { backupDatabase, configuredTarget, restoreDatabase, type DbTarget } from "./dump";

// `db backup <file>` · `db restore <file>` (with kill switches kept and erasures replayed: ./restore.ts)
export const dbCommand: OpsCommand = {
  summary: "back up or restore the database (Postgres via pg_dump, PGlite via its data-dir dump); a restore keeps kill switches and replays erasures",
  verbs: ["backup", "restore"],
  async run([verb, file]) {
    if (!file || !["backup", "restore"].includes(verb ?? "")) {
      console.error("Usage: db backup <file> | db restore <file>");
      return 2;
    }
    const target = configuredTarget();
    const where = target.kind === "postgres" ? `Postgres (${env.DATABASE_OWNER_URL ? "DATABASE_OWNER_URL" : "DATABASE_URL"})` : `PGlite at ${target.dir}`;
    if (verb === "backup") {
      const { bytes } = await backupDatabase(target, file);
      console.log(`Backed up ${where} to ${file} (${bytes} bytes)`);
    } else {
      // Imported here: the restore's safeguards pull in the app's procedures, which a backup does not need.
      const { describeRestore, restoreWithSafeguards } = await import("./restore");
      const report = await restoreWithSafeguards(target, file);
      console.log(`Restored ${where} from ${file}`);
      for (const line of describeRestore(report)) console.log(line);
    }
  },
};
