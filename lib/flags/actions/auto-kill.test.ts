import { and, desc, eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/lib/database";
import { auditEvents, breakerTransitions, flags, notifications, requestMinutes } from "@/db/schema";
import { listOpenAlerts } from "@/lib/alerts";
import { defineAction, procedureRegistry } from "@/lib/procedures";
import { getBreaker, probeProvider } from "@/lib/breakers";
import { parseFaults, setFaults } from "@/lib/providers";
import { systemContext } from "@/lib/safety";
import { flushRequestOutcomes } from "@/lib/status/outcomes";
import { actionOutcomes } from "@/lib/status/sources";
import { contextFor, createTestUser } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";
import { AUTO_KILLS, runAutoKills, runHealthyReenables, unhealthySince, type AutoKill, type AutoKillSignals } from "./auto-kill";
import { isKillSwitchOn } from "../runtime";

const job = () => systemContext("cron:uptime_check");
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000);

afterAll(async () => {
  for (const key of ["notifications", "report_problem"] as const) await setKillSwitch({ key, on: true, reason: "test cleanup", actor: "cli:ops" });
  await setFaults("email", parseFaults(""));
});

async function signals(): Promise<AutoKillSignals & { probed: string[] }> {
  const db = await getDb();
  const probed: string[] = [];
  // A made-up breaker name keeps these tests' history apart from the real ones; its probe is only noted.
  return { actionOutcomes: (action, from, to) => actionOutcomes(db, action, from, to), probed, probe: async (name) => void probed.push(name) };
}

describe("breaker → switch", () => {
  const breaker = `email_test_${crypto.randomUUID().slice(0, 6)}` as "email";
  const binding: AutoKill[] = [{ killSwitch: "notifications", when: { breaker, unhealthyForMs: 5 * 60_000 }, reenableAfterHealthyMs: 10 * 60_000 }];

  async function transition(to: string, minutesAgo: number) {
    const db = await getDb();
    await db.insert(breakerTransitions).values({ name: breaker, fromState: "x", toState: to, reason: "test", at: new Date(Date.now() - minutesAgo * 60_000) });
  }

  it("turns notifications off as the uptime job once the breaker has been unhealthy 5 minutes, and pages through the alert router, not by email", async () => {
    const admin = await createTestUser({ role: "admin" });
    const db = await getDb();
    await transition("open", 12);
    await transition("closed", 10);
    await transition("open", 4);
    // Open only 4 minutes since it last closed: not yet.
    expect(await runAutoKills(db, job(), new Date(), await signals(), binding)).toEqual([]);
    expect(isKillSwitchOn("notifications")).toBe(true);

    await transition("half_open", 3);
    await transition("open", 2);
    const later = minutesFromNow(2);
    expect((await unhealthySince(db, breaker))!.getTime()).toBeLessThan(Date.now() - 3.9 * 60_000);
    expect(await runAutoKills(db, job(), later, await signals(), binding)).toEqual(["notifications"]);
    expect(isKillSwitchOn("notifications")).toBe(false);

    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.targetId, "notifications"), eq(auditEvents.action, "flag.kill_switch"))).orderBy(desc(auditEvents.id)).limit(1);
    expect(event).toMatchObject({ actorType: "system", actorId: "cron:uptime_check" });
    expect(String(event!.metadata.reason)).toContain(`the ${breaker} breaker has been open`);
    expect((await listOpenAlerts(db, ["auto_kill"])).find((a) => a.dedupKey === "auto_kill:notifications")).toMatchObject({ severity: "page", runbook: "email-provider-down" });
    // Nothing queued through the notifications this just turned off.
    expect(await db.select().from(notifications).where(eq(notifications.userId, admin.id))).toEqual([]);

    // Already off: nothing more happens.
    expect(await runAutoKills(db, job(), later, await signals(), binding)).toEqual([]);
  });

  it("turns it back on once the breaker has been closed for the declared time, probing the provider first", async () => {
    const db = await getDb();
    const s = await signals();
    expect(isKillSwitchOn("notifications")).toBe(false);
    // Still open: probed, left off.
    expect(await runHealthyReenables(db, job(), new Date(), s, binding)).toEqual([]);
    expect(s.probed).toEqual([breaker]);
    await transition("closed", 0);
    // Closed, but not for 10 minutes yet.
    expect(await runHealthyReenables(db, job(), minutesFromNow(5), s, binding)).toEqual([]);
    expect(await runHealthyReenables(db, job(), minutesFromNow(11), s, binding)).toEqual(["notifications"]);
    expect(isKillSwitchOn("notifications")).toBe(true);
    expect((await listOpenAlerts(db, ["auto_kill"])).some((a) => a.dedupKey === "auto_kill:notifications")).toBe(false);
  });

  it("leaves a switch a person turned off to that person, however healthy the provider", async () => {
    const db = await getDb();
    const admin = await createTestUser({ role: "admin" });
    await setKillSwitch({ key: "notifications", on: false, reason: "holding mail during a migration", actor: admin });
    expect(await runHealthyReenables(db, job(), minutesFromNow(60), await signals(), binding)).toEqual([]);
    expect(isKillSwitchOn("notifications")).toBe(false);
    const [row] = await db.select({ updatedBy: flags.updatedBy }).from(flags).where(eq(flags.key, "notifications"));
    expect(row?.updatedBy).not.toBe("cron:uptime_check");
    await setKillSwitch({ key: "notifications", on: true, reason: "test cleanup", actor: "cli:ops" });
  });

  it("does nothing while the breaker is closed", async () => {
    const db = await getDb();
    await transition("closed", 0);
    expect(await unhealthySince(db, breaker)).toBeNull();
    expect(await runAutoKills(db, job(), minutesFromNow(60), await signals(), binding)).toEqual([]);
  });
});

describe("error rate of a declared action → switch", () => {
  // An action that fails the way a bad deploy does, called by a person through the whole guarded chain.
  const crashing = defineAction({
    name: `test.auto_kill_crash_${crypto.randomUUID().slice(0, 6)}`,
    permission: "self:write",
    input: z.object({ fail: z.boolean() }),
    handler: async ({ input }) => {
      if (input.fail) throw new Error("deliberate crash for the error-rate trigger");
      return { fine: true };
    },
    audit: { action: "report.submit", target: () => ({ type: "problem_report", id: null }) },
  });
  const binding = (minCalls: number): AutoKill[] => [{ killSwitch: "report_problem", when: { action: crashing.definition.name, errorRate: 0.5, minCalls, windowMs: 5 * 60_000 } }];

  it("counts people's calls (a server fault is an error, a refusal is not) and turns the switch off once half of them fail", async () => {
    const db = await getDb();
    const user = await createTestUser();
    const request = contextFor(user);
    // 4 fine, 1 invalid input (the caller's mistake), 6 crashes: 6 faults out of 11 calls.
    for (let i = 0; i < 4; i++) expect((await crashing.run({ fail: false }, request)).ok).toBe(true);
    expect(await crashing.run({ fail: "no" }, request)).toMatchObject({ ok: false, code: "invalid_input" });
    for (let i = 0; i < 6; i++) expect(await crashing.run({ fail: true }, request)).toMatchObject({ ok: false, code: "internal" });
    // Jobs and the ops CLI are judged by their own runs, not counted here.
    await crashing.run({ fail: true }, systemContext("cli:ops"));
    await flushRequestOutcomes();
    const now = minutesFromNow(1);
    expect(await (await signals()).actionOutcomes(crashing.definition.name, new Date(now.getTime() - 5 * 60_000), now)).toEqual({ total: 11, errors: 6 });

    // Too few calls to judge: nothing.
    expect(await runAutoKills(db, job(), now, await signals(), binding(20))).toEqual([]);
    expect(await runAutoKills(db, job(), now, await signals(), binding(10))).toEqual(["report_problem"]);
    expect(isKillSwitchOn("report_problem")).toBe(false);
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.targetId, "report_problem"), eq(auditEvents.action, "flag.kill_switch"))).orderBy(desc(auditEvents.id)).limit(1);
    expect(String(event!.metadata.reason)).toBe(`automatic: 6 of 11 calls of ${crashing.definition.name} failed on our side in the last 5 min`);
    // No automatic way back for an error-rate kill: with the switch off the action cannot fail, which proves nothing.
    expect(await runHealthyReenables(db, job(), minutesFromNow(120), await signals(), binding(10))).toEqual([]);
  });

  it("looks only at its window: failures older than it do not count", async () => {
    const db = await getDb();
    const later = minutesFromNow(30);
    expect(await (await signals()).actionOutcomes(crashing.definition.name, new Date(later.getTime() - 5 * 60_000), later)).toEqual({ total: 0, errors: 0 });
    await db.delete(requestMinutes).where(eq(requestMinutes.route, `action:${crashing.definition.name}`));
  });
});

describe("the declared bindings", () => {
  it("bind only switches their action declares, and only provider breakers", async () => {
    // The modules declaring the bound actions (a binding to an action not loaded here fails below, by name).
    await import("@/lib/billing/actions");
    await import("@/lib/reports/actions");
    for (const { killSwitch, when } of AUTO_KILLS) {
      if ("action" in when) expect(procedureRegistry.get(when.action)?.definition, when.action).toMatchObject({ flag: killSwitch });
      else expect(["payments", "email"]).toContain(when.breaker);
    }
  });

  it("a provider probe goes through the breaker and fails while the provider does", async () => {
    await getBreaker("email").force("reset", "test: a clean breaker for the probe", "test");
    await setFaults("email", parseFaults("fail=100"));
    await expect(probeProvider("email")).rejects.toThrow();
    await setFaults("email", parseFaults(""));
    await expect(probeProvider("email")).resolves.toBeUndefined();
  });
});
