import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq, gte, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, erasureLedger, users } from "@/db/schema";
import { getKillSwitchStates, invalidateFlagSnapshot } from "@/lib/flags";
import { readMaintenance } from "@/lib/maintenance";
import { backupDatabase } from "@/scripts/ops/db";
import { restoreWithSafeguards } from "@/scripts/ops/restore";
import { contextFor, createTestUser } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";
import { purgeAccountNow } from "./actions";
import { issueConfirmation } from "./confirmations";
import { readErasureLedger } from "./erasures";
import { tombstoneId } from "./tombstone";

const hasPgTools = (() => {
  try {
    execFileSync("pg_dump", ["--version"]);
    return true;
  } catch {
    return false;
  }
})();

async function backgroundJobsOn(): Promise<boolean> {
  invalidateFlagSnapshot();
  return (await getKillSwitchStates()).find((s) => s.key === "background_jobs")!.on;
}

// A real backup and restore needs Postgres and its client tools; on PGlite the
// replay itself is covered in purge.test.ts (rows re-inserted by hand).
describe.skipIf(!process.env.DATABASE_URL || !hasPgTools)("a restore keeps erasures erased and kill switches as they were (Postgres)", () => {
  it("back up, erase a user, turn jobs off, restore: the user is erased again and jobs stay off, with nothing kept but the backup", async () => {
    const db = await getDb();
    const admin = await createTestUser({ role: "admin" });
    const user = await createTestUser({ plan: "pro" });
    const dir = mkdtempSync(path.join(tmpdir(), "bw-restore-"));
    const file = path.join(dir, "backup.dump");
    // Backup and restore run as the schema's owner (as `npm run ops -- db backup` does).
    const target = { kind: "postgres" as const, url: process.env.DATABASE_OWNER_URL ?? process.env.DATABASE_URL! };
    try {
      expect(await backgroundJobsOn()).toBe(true);
      await backupDatabase(target, file);
      const t = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: user.id });
      expect((await purgeAccountNow.run({ userId: user.id, confirmation: t.token, confirmText: user.email }, contextFor(admin))).ok).toBe(true);
      // The ledger lives in the vault, outside the database and so outside its backups.
      expect(await readErasureLedger()).toContain(tombstoneId(user.id));
      // The runbook's first step: nothing writes while the database is restored.
      await setKillSwitch({ key: "background_jobs", on: false, reason: "restore test", actor: admin });

      const restoreStarted = new Date(Date.now() - 1000);
      const report = await restoreWithSafeguards(target, file);

      const restored = await getDb();
      expect(await restored.select().from(users).where(eq(users.id, user.id))).toHaveLength(0);
      const [left] = await restored.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(sql`lower(${users.email})`, user.email.toLowerCase()));
      expect(left!.n).toBe(0);
      expect(report.reErased).toEqual([tombstoneId(user.id)]);
      expect(await restored.select().from(erasureLedger).where(eq(erasureLedger.tombstoneId, tombstoneId(user.id)))).toHaveLength(1);
      // The backup had jobs on; the restore leaves them as the operator had set them.
      expect(report.killSwitchesRestored).toContainEqual({ key: "background_jobs", on: false });
      expect(await backgroundJobsOn()).toBe(false);
      // It ran in read-only maintenance, which it turned on (before, and again in the restored database) and off after.
      expect(report.maintenance).toBe("ended");
      expect((await readMaintenance(restored)).active).toBe(false);
      const switched = await restored
        .select({ metadata: auditEvents.metadata })
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "system.maintenance"), eq(auditEvents.actorId, "cli:ops"), gte(auditEvents.occurredAt, restoreStarted)))
        .orderBy(auditEvents.id);
      expect(switched.map((e) => (e.metadata as { after: boolean }).after)).toEqual([true, false]);
    } finally {
      await setKillSwitch({ key: "background_jobs", on: true, reason: "restore test done", actor: "cli:ops" });
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
