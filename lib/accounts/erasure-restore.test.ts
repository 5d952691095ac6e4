import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { erasureLedger, users } from "@/db/schema";
import { backupDatabase, restoreDatabase } from "@/scripts/ops/db";
import { contextFor, createTestUser } from "@/test/factories";
import { purgeAccountNow } from "./actions";
import { issueConfirmation } from "./confirmations";
import { readLedger, replayErasures } from "./erasures";
import { systemRequest } from "./system";
import { tombstoneId } from "./tombstone";

const hasPgTools = (() => {
  try {
    execFileSync("pg_dump", ["--version"]);
    return true;
  } catch {
    return false;
  }
})();

// A real backup and restore needs Postgres and its client tools; on PGlite the
// replay itself is covered in purge.test.ts (rows re-inserted by hand).
describe.skipIf(!process.env.DATABASE_URL || !hasPgTools)("erasures survive a database restore (Postgres)", () => {
  it("back up, purge a user, restore the backup, replay the ledger: the user is gone again", async () => {
    const db = await getDb();
    const admin = await createTestUser({ role: "admin" });
    const user = await createTestUser({ plan: "pro" });
    const dir = mkdtempSync(path.join(tmpdir(), "bw-restore-"));
    const file = path.join(dir, "backup.dump");
    const target = { kind: "postgres" as const, url: process.env.DATABASE_URL! };
    try {
      await backupDatabase(target, file);
      const t = await issueConfirmation(db, { actorId: admin.id, action: "account.purge", targetId: user.id });
      expect((await purgeAccountNow.run({ userId: user.id, confirmation: t.token }, contextFor(admin))).ok).toBe(true);
      // What `npm run ops -- erasures export` writes beside the backup.
      const ledgerCopy = await readLedger(db);
      expect(ledgerCopy).toContain(tombstoneId(user.id));

      await restoreDatabase(target, file);
      const [back] = await db.select({ email: users.email }).from(users).where(eq(users.id, user.id));
      expect(back?.email).toBe(user.email);
      expect(await db.select().from(erasureLedger).where(eq(erasureLedger.tombstoneId, tombstoneId(user.id)))).toHaveLength(0);

      const replay = await replayErasures.run({ tombstones: ledgerCopy }, systemRequest());
      expect(replay).toMatchObject({ ok: true, data: { reErased: [tombstoneId(user.id)] } });
      expect(await db.select().from(users).where(eq(users.id, user.id))).toHaveLength(0);
      const [left] = await db.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(sql`lower(${users.email})`, user.email.toLowerCase()));
      expect(left!.n).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
