import { and, desc, eq } from "drizzle-orm";
import { afterAll, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, breakerTransitions, notifications } from "@/db/schema";
import { createTestUser } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";
import { systemContext } from "@/lib/safety";
import { runAutoKills, unhealthySince } from "./auto-kill";
import { isKillSwitchOn } from "../runtime";

// A made-up breaker name keeps this test's history apart from the real email breaker's.
const breaker = `email_test_${crypto.randomUUID().slice(0, 6)}` as "email";
const binding = [{ killSwitch: "notifications" as const, breaker, unhealthyForMs: 5 * 60_000 }];

afterAll(async () => {
  await setKillSwitch({ key: "notifications", on: true, reason: "test cleanup", actor: "cli:ops" });
});

async function transition(to: string, minutesAgo: number) {
  const db = await getDb();
  await db.insert(breakerTransitions).values({ name: breaker, fromState: "x", toState: to, reason: "test", at: new Date(Date.now() - minutesAgo * 60_000) });
}

it("turns notifications off as the uptime job (cron:uptime_check) once the breaker has been unhealthy 5 minutes, and tells admins", async () => {
  const admin = await createTestUser({ role: "admin" });
  const db = await getDb();
  await transition("open", 12);
  await transition("closed", 10);
  await transition("open", 4);
  // Open only 4 minutes since it last closed: not yet.
  expect(await runAutoKills(db, systemContext("cron:uptime_check"), new Date(), binding)).toEqual([]);
  expect(isKillSwitchOn("notifications")).toBe(true);

  await transition("half_open", 3);
  await transition("open", 2);
  const later = new Date(Date.now() + 2 * 60_000);
  expect((await unhealthySince(db, breaker))!.getTime()).toBeLessThan(Date.now() - 3.9 * 60_000);
  expect(await runAutoKills(db, systemContext("cron:uptime_check"), later, binding)).toEqual(["notifications"]);
  expect(isKillSwitchOn("notifications")).toBe(false);

  const [event] = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetId, "notifications"), eq(auditEvents.action, "flag.kill_switch")))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  expect(event).toMatchObject({ actorType: "system", actorId: "cron:uptime_check" });
  expect(String(event!.metadata.reason)).toContain(`the ${breaker} breaker has been open`);
  const mail = await db.select().from(notifications).where(and(eq(notifications.userId, admin.id), eq(notifications.template, "flag_auto_kill")));
  expect(mail).toHaveLength(1);

  // Already off: nothing more happens.
  expect(await runAutoKills(db, systemContext("cron:uptime_check"), later, binding)).toEqual([]);
});

it("does nothing while the breaker is closed", async () => {
  const db = await getDb();
  await transition("closed", 0);
  expect(await unhealthySince(db, breaker)).toBeNull();
  expect(await runAutoKills(db, systemContext("cron:uptime_check"), new Date(Date.now() + 60 * 60_000), binding)).toEqual([]);
});
