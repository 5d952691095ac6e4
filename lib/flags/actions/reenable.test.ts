import { and, desc, eq } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import { auditEvents } from "@/db/schema";
import { getDb } from "@/lib/database";
import { systemContext } from "@/lib/safety";
import { createTestUser } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";
import { getKillSwitchStates } from "../runtime";
import { runScheduledReenables } from "./reenable";

// A switch no other suite flips: in the Postgres phase suites share one database.
const SWITCH = "job_invoice_retention" as const;

afterAll(async () => {
  await setKillSwitch({ key: SWITCH, on: true, reason: "test cleanup", actor: "cli:ops" });
});

async function lastAudit() {
  const db = await getDb();
  const [event] = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, SWITCH), eq(auditEvents.action, "flag.kill_switch")))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return event!;
}

it("turns a switch back on once its re-enable time has passed, audited as the minute job (a system principal)", async () => {
  const admin = await createTestUser({ role: "admin" });
  const db = await getDb();
  const until = new Date(Date.now() + 30 * 60_000).toISOString();
  expect((await setKillSwitch({ key: SWITCH, on: false, reason: "retention run misbehaving", actor: admin, reenableAt: until })).ok).toBe(true);
  const job = systemContext("cron:uptime_check");

  // Before the time: left off.
  expect(await runScheduledReenables(db, job, new Date(Date.parse(until) - 1000))).not.toContain(SWITCH);
  expect((await getKillSwitchStates()).find((s) => s.key === SWITCH)).toMatchObject({ on: false, reenableAt: until });

  expect(await runScheduledReenables(db, job, new Date(Date.parse(until) + 1000))).toContain(SWITCH);
  expect((await getKillSwitchStates()).find((s) => s.key === SWITCH)).toMatchObject({ on: true, reenableAt: null, updatedBy: "system:cron:uptime_check" });
  const event = await lastAudit();
  expect(event).toMatchObject({ actorType: "system", actorId: "cron:uptime_check" });
  expect(event.metadata).toMatchObject({ before: { on: false }, after: { on: true, reenableAt: null } });
  expect(String(event.metadata.reason)).toContain(`back on at ${until}`);

  // Already on: nothing more happens.
  expect(await runScheduledReenables(db, job, new Date(Date.parse(until) + 60_000))).not.toContain(SWITCH);
  expect((await lastAudit()).id).toBe(event.id);
});

it("leaves alone a switch turned off without a re-enable time", async () => {
  const db = await getDb();
  expect((await setKillSwitch({ key: SWITCH, on: false, reason: "until we know more", actor: "cli:ops" })).ok).toBe(true);
  expect(await runScheduledReenables(db, systemContext("cron:uptime_check"), new Date(Date.now() + 365 * 24 * 3600_000))).not.toContain(SWITCH);
  expect((await getKillSwitchStates()).find((s) => s.key === SWITCH)!.on).toBe(false);
});
