import { and, desc, eq, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { auditEvents, flagChangeRequests, flags, invoices, subscriptions } from "@/db/schema";
import { loadSessionUser } from "@/lib/auth/session-user";
import { changePlan } from "@/lib/billing/actions";
import { flagsCommand } from "@/scripts/ops/flags";
import { contextFor, createTestUser, sessionClaims } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";
import { decideChangeAction, saveFlagAction, saveSegmentAction, setKillSwitchAction } from "./actions";
import { replayEvaluation } from "./replay";
import { evaluateAllFlags, flagContextFor, getFlag, getKillSwitchStates, isKillSwitchOn, jobKillSwitch, refreshFlagSnapshot } from "./index";
import { FLAG_REVALIDATE_MS, bumpConfigVersion, currentSnapshot, readConfigVersion, resetFlagCacheForTests } from "./store";

const BILLING_PAUSED = "Billing is paused right now; you have not been charged.";

let admin: Awaited<ReturnType<typeof createTestUser>>;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

// Other test files share the Postgres database: never leave a kill switch off.
afterAll(async () => {
  for (const key of ["payments", "exports", "report_problem"] as const) {
    await setKillSwitch({ key, on: true, reason: "test cleanup", actor: "cli:ops" });
  }
});

async function invoiceCount(userId: string) {
  const db = await getDb();
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(invoices).where(eq(invoices.userId, userId));
  return row!.n;
}

async function flagAudit(key: string) {
  const db = await getDb();
  return db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, "flag"), eq(auditEvents.targetId, key)))
    .orderBy(auditEvents.id);
}

describe("payments kill switch on the guarded path", () => {
  it("off: a plan change is refused with the sentence, nothing charged; on again: it works", async () => {
    const customer = await createTestUser({ plan: "free" });
    const off = await setKillSwitch({ key: "payments", on: false, reason: "provider outage drill", actor: admin });
    expect(off.ok).toBe(true);
    expect(isKillSwitchOn("payments")).toBe(false);

    const refused = await changePlan.run({ plan: "pro" }, contextFor(customer));
    expect(refused).toMatchObject({ ok: false, code: "disabled", message: BILLING_PAUSED });
    expect(await invoiceCount(customer.id)).toBe(0);
    const db = await getDb();
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.userId, customer.id));
    expect(sub!.plan).toBe("free");

    expect((await setKillSwitch({ key: "payments", on: true, reason: "provider back", actor: admin })).ok).toBe(true);
    const done = await changePlan.run({ plan: "pro" }, contextFor(customer));
    expect(done.ok).toBe(true);
    expect(await invoiceCount(customer.id)).toBe(1);

    const events = (await flagAudit("payments")).filter((e) => e.actorId === admin.id);
    expect(events.slice(-2).map((e) => e.metadata)).toMatchObject([
      { reason: "provider outage drill", before: { on: true }, after: { on: false } },
      { reason: "provider back", before: { on: false }, after: { on: true } },
    ]);
    expect(events.at(-1)).toMatchObject({ actorType: "admin", outcome: "success", action: "flag.kill_switch" });
  });

  it("the CLI flips it as cli:ops and lists it", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    expect(await flagsCommand.run(["set", "exports", "off", "--reason", "cli drill"])).toBe(0);
    expect(isKillSwitchOn("exports")).toBe(false);
    expect(await flagsCommand.run(["list"])).toBe(0);
    expect(log.mock.calls.flat().join("\n")).toMatch(/exports\s+OFF/);
    const last = (await flagAudit("exports")).at(-1)!;
    expect(last).toMatchObject({ actorType: "system", actorId: "cli:ops", metadata: { reason: "cli drill" } });
    expect(await flagsCommand.run(["set", "exports", "on", "--reason", "cli drill over"])).toBe(0);
    expect(isKillSwitchOn("exports")).toBe(true);
  });

  it("the CLI refuses an unknown key or a missing reason and changes nothing", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const db = await getDb();
    const before = await readConfigVersion(db);
    expect(await flagsCommand.run(["set", "nuclear_launch", "off", "--reason", "x"])).toBe(2);
    expect(await flagsCommand.run(["set", "payments", "off"])).toBe(2);
    expect(await readConfigVersion(db)).toBe(before);
  });

  it("a scheduled turn-back-on is shown and honoured", async () => {
    const until = new Date(Date.now() + 60 * 60_000).toISOString();
    expect((await setKillSwitch({ key: "report_problem", on: false, reason: "spam wave", actor: "cron:uptime_check", reenableAt: until })).ok).toBe(true);
    const state = (await getKillSwitchStates()).find((s) => s.key === "report_problem")!;
    expect(state).toMatchObject({ on: false, reason: "disabled", reenableAt: until });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.parse(until) + 1000);
    expect(isKillSwitchOn("report_problem")).toBe(true);
    vi.useRealTimers();
    const last = (await flagAudit("report_problem")).at(-1)!;
    expect(last).toMatchObject({ actorType: "system", actorId: "cron:uptime_check" });
  });

  it("jobKillSwitch names the per-job switch", () => {
    expect(jobKillSwitch("renewals")).toBe("job_renewals");
    expect(() => jobKillSwitch("mine_bitcoin")).toThrow(/No kill switch declared/);
  });
});

describe("propagation: snapshot + version counter", () => {
  async function flipBehindOurBack(key: string, on: boolean) {
    // What another instance's change looks like from here: rows and version move, our cache isn't told.
    const db = await getDb();
    await db.transaction(async (tx) => {
      const [row] = await tx.select().from(flags).where(eq(flags.key, key));
      const environments = Object.fromEntries(Object.keys(row!.environments).map((e) => [e, { enabled: on, targets: [], rules: [], rollout: 0 }]));
      await tx.update(flags).set({ environments }).where(eq(flags.key, key));
      await bumpConfigVersion(tx);
    });
  }

  it("revalidates at most once an interval on demand, and at once when the session lookup saw a newer version", async () => {
    await setKillSwitch({ key: "payments", on: true, reason: "baseline", actor: admin });
    vi.useFakeTimers({ toFake: ["Date"] });
    await refreshFlagSnapshot();
    const v0 = currentSnapshot()!.version;
    await flipBehindOurBack("payments", false);

    // Within the interval: the snapshot is served as is, no query.
    const select = vi.spyOn(await getDb(), "select");
    await refreshFlagSnapshot();
    expect(select).not.toHaveBeenCalled();
    expect(isKillSwitchOn("payments")).toBe(true);
    select.mockRestore();

    // A signed-in request's user lookup carries the version: the next check reloads without waiting.
    const db = await getDb();
    const user = await loadSessionUser(db, sessionClaims(admin.id, 0));
    expect(user?.id).toBe(admin.id);
    const snap = await refreshFlagSnapshot();
    expect(snap!.version).toBeGreaterThan(v0);
    expect(isKillSwitchOn("payments")).toBe(false);

    // Anonymous path: once the interval has passed, the version counter is checked.
    await flipBehindOurBack("payments", true);
    expect(isKillSwitchOn("payments")).toBe(false);
    vi.setSystemTime(Date.now() + FLAG_REVALIDATE_MS + 1);
    await refreshFlagSnapshot();
    expect(isKillSwitchOn("payments")).toBe(true);
  });

  it("serves the last snapshot when the store is unreachable, and whenUnknown with none", async () => {
    await refreshFlagSnapshot();
    const db = await getDb();
    vi.spyOn(db, "select").mockImplementation(() => {
      throw new Error("connection refused");
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 5000);
    const kept = await refreshFlagSnapshot();
    expect(kept).not.toBeNull();
    expect(isKillSwitchOn("payments")).toBe(true);

    resetFlagCacheForTests();
    expect(await refreshFlagSnapshot()).toBeNull();
    // payments is declared to fail safe (off); notifications keep running.
    expect(isKillSwitchOn("payments")).toBe(false);
    expect(isKillSwitchOn("notifications")).toBe(true);
    expect(await getFlag("some_release", { id: "u1" }, "declared")).toMatchObject({ value: "declared", reason: "fallback", version: -1 });
    vi.restoreAllMocks();
    vi.useRealTimers();
    resetFlagCacheForTests();
    await refreshFlagSnapshot();
    expect(isKillSwitchOn("payments")).toBe(true);
  });

  it("an env override wins even over the database", async () => {
    process.env.FLAG_PAYMENTS = "off";
    try {
      expect(isKillSwitchOn("payments")).toBe(false);
      const customer = await createTestUser({ plan: "free" });
      expect(await changePlan.run({ plan: "team" }, contextFor(customer))).toMatchObject({ code: "disabled", message: BILLING_PAUSED });
    } finally {
      delete process.env.FLAG_PAYMENTS;
    }
  });
});

describe("release flags and segments", () => {
  const key = `beta_${crypto.randomUUID().slice(0, 8)}`;
  const base = {
    key,
    revision: "0",
    description: "New editor",
    kind: "release",
    owner: "editor-team",
    valueType: "boolean",
    variants: "[]",
    defaultValue: "false",
    offValue: "false",
    prerequisites: "",
    seed: "",
    reviewBy: "2026-01-01",
    environment: "development",
    enabled: "on",
    rollout: "0",
    targets: "[]",
    rules: "[]",
    reason: "launch prep",
  };

  it("creates, targets a segment, evaluates for a user, and refuses a stale revision", async () => {
    const seg = `staff_${crypto.randomUUID().slice(0, 8)}`;
    const s = await saveSegmentAction.run(
      { key: seg, description: "Staff", conditions: JSON.stringify([{ attribute: "role", operator: "in", values: ["support", "admin"] }]), reason: "define staff" },
      contextFor(admin),
    );
    expect(s.ok).toBe(true);
    const created = await saveFlagAction.run(base, contextFor(admin));
    expect(created).toMatchObject({ ok: true, data: { created: true } });
    const updated = await saveFlagAction.run({ ...base, revision: "1", rules: JSON.stringify([{ segment: seg, variant: "on" }]), reason: "staff first" }, contextFor(admin));
    expect(updated.ok).toBe(true);

    const forAdmin = await evaluateAllFlags(flagContextFor(admin));
    expect(forAdmin[key]).toMatchObject({ value: true, reason: "target_match", detail: `segment ${seg}` });
    const customer = await createTestUser();
    const forUser = await evaluateAllFlags(flagContextFor(customer));
    expect(forUser[key]).toMatchObject({ value: false, reason: "default" });
    expect(forUser.payments).toMatchObject({ value: true });
    expect(forUser[key]!.version).toBe(currentSnapshot()!.version);

    const stale = await saveFlagAction.run({ ...base, revision: "1", rollout: "50" }, contextFor(admin));
    expect(stale).toMatchObject({ ok: false, code: "conflict" });
    const history = await flagAudit(key);
    expect(history.map((e) => e.metadata.reason)).toEqual(["launch prep", "staff first"]);
    expect(history[1]!.metadata).toMatchObject({ before: { environment: { rules: [] } }, after: { environment: { rules: [{ segment: seg }] } } });
  });

  it("replays what a user got at a past moment from the audit trail", async () => {
    const replayKey = `replay_${crypto.randomUUID().slice(0, 8)}`;
    const customer = await createTestUser();
    const ctx = { id: customer.id, email: customer.email, role: customer.role };
    expect((await saveFlagAction.run({ ...base, key: replayKey, rollout: "0" }, contextFor(admin))).ok).toBe(true);
    const db = await getDb();
    const [created] = await db.select({ at: auditEvents.occurredAt }).from(auditEvents).where(and(eq(auditEvents.targetId, replayKey), eq(auditEvents.action, "flag.update")));
    const between = new Date(created!.at.getTime() + 1);
    await new Promise((r) => setTimeout(r, 20));
    expect((await saveFlagAction.run({ ...base, key: replayKey, revision: "1", rollout: "100", reason: "everyone" }, contextFor(admin))).ok).toBe(true);

    const before = await replayEvaluation(db, { key: replayKey, at: new Date(created!.at.getTime() - 1000), context: ctx, environment: "development" });
    expect(before.evaluation).toBeNull();
    const then = await replayEvaluation(db, { key: replayKey, at: between, context: ctx, environment: "development" });
    expect(then.evaluation).toMatchObject({ value: false, reason: "default" });
    const now = await replayEvaluation(db, { key: replayKey, at: new Date(), context: ctx, environment: "development" });
    expect(now.evaluation).toMatchObject({ value: true, reason: "rollout" });
    expect(now.basedOn!.occurredAt.getTime()).toBeGreaterThan(between.getTime());
  });

  it("replays a kill switch from its audit events", async () => {
    await setKillSwitch({ key: "exports", on: false, reason: "replay drill", actor: admin });
    const offAt = new Date();
    await new Promise((r) => setTimeout(r, 20));
    await setKillSwitch({ key: "exports", on: true, reason: "replay drill over", actor: admin });
    const db = await getDb();
    const r = await replayEvaluation(db, { key: "exports", at: offAt, context: {}, environment: "development" });
    expect(r.evaluation).toMatchObject({ value: false, reason: "disabled" });
    expect((await replayEvaluation(db, { key: "exports", at: new Date(), context: {}, environment: "development" })).evaluation).toMatchObject({ value: true });
  });

  it("four eyes: a production rollout waits for a second admin; the requester can't approve it", async () => {
    const fourKey = `four_${crypto.randomUUID().slice(0, 8)}`;
    const second = await createTestUser({ role: "admin" });
    expect((await saveFlagAction.run({ ...base, key: fourKey, environment: "production", rollout: "0" }, contextFor(admin))).ok).toBe(true);
    const asked = await saveFlagAction.run({ ...base, key: fourKey, revision: "1", environment: "production", rollout: "25", reason: "widen" }, contextFor(admin));
    expect(asked).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });
    const db = await getDb();
    const [row] = await db.select().from(flags).where(eq(flags.key, fourKey));
    expect(row!.environments.production!.rollout).toBe(0);
    const requestId = (asked as { data: { pendingApproval: string } }).data.pendingApproval;

    expect(await decideChangeAction.run({ requestId, decision: "approve", reason: "me myself" }, contextFor(admin))).toMatchObject({ ok: false, code: "forbidden" });
    const approved = await decideChangeAction.run({ requestId, decision: "approve", reason: "looks right" }, contextFor(second));
    expect(approved).toMatchObject({ ok: true, data: { status: "applied" } });
    const [after] = await db.select().from(flags).where(eq(flags.key, fourKey));
    expect(after!.environments.production!.rollout).toBe(25);
    expect(await decideChangeAction.run({ requestId, decision: "reject", reason: "again" }, contextFor(second))).toMatchObject({ ok: false, code: "conflict" });
    // Turning it off in production needs nobody.
    const off = await saveFlagAction.run({ ...base, key: fourKey, revision: "2", environment: "production", enabled: "off", rollout: "25", reason: "stop" }, contextFor(admin));
    expect(off).toMatchObject({ ok: true, data: { pendingApproval: null } });
    // Replay sees the approved state.
    const replay = await replayEvaluation(db, { key: fourKey, at: new Date(), context: { id: "x" }, environment: "production" });
    expect(replay.evaluation?.reason).toBe("disabled");
  });

  it("turning a kill switch off applies at once and opens a review for a second admin", async () => {
    const second = await createTestUser({ role: "admin" });
    const off = await setKillSwitch({ key: "exports", on: false, reason: "review drill", actor: admin });
    expect(off.ok).toBe(true);
    expect(isKillSwitchOn("exports")).toBe(false);
    const db = await getDb();
    const [review] = await db
      .select()
      .from(flagChangeRequests)
      .where(and(eq(flagChangeRequests.flagKey, "exports"), eq(flagChangeRequests.kind, "review"), eq(flagChangeRequests.status, "pending")))
      .orderBy(desc(flagChangeRequests.createdAt))
      .limit(1);
    expect(review).toMatchObject({ reason: "review drill", requestedBy: `admin:${admin.id}` });
    expect(await decideChangeAction.run({ requestId: review!.id, decision: "approve", reason: "justified" }, contextFor(second))).toMatchObject({ ok: true, data: { status: "reviewed" } });
    await setKillSwitch({ key: "exports", on: true, reason: "review drill over", actor: admin });
  });

  describe("bad input: clear error, nothing changed", () => {
    async function unchanged(run: () => Promise<unknown>) {
      const db = await getDb();
      const before = await readConfigVersion(db);
      const [rowBefore] = await db.select().from(flags).where(eq(flags.key, key));
      const result = await run();
      expect(await readConfigVersion(db)).toBe(before);
      const [rowAfter] = await db.select().from(flags).where(eq(flags.key, key));
      expect(rowAfter).toEqual(rowBefore);
      return result;
    }

    it("unknown kill switch key", async () => {
      const r = await unchanged(() => setKillSwitchAction.run({ key: "self_destruct", on: "off", reason: "why not" }, contextFor(admin)));
      expect(r).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { key: "Unknown kill switch." } });
    });

    it("unknown flag on update", async () => {
      const r = await unchanged(() => saveFlagAction.run({ ...base, key: "no_such_flag_zz", revision: "3" }, contextFor(admin)));
      expect(r).toMatchObject({ ok: false, code: "not_found" });
    });

    it("malformed rule JSON, unknown operator, unknown variant, unknown segment", async () => {
      for (const rules of ["[{", JSON.stringify([{ conditions: [{ attribute: "role", operator: "sounds_like", values: ["x"] }], variant: "on" }])]) {
        const r = await unchanged(() => saveFlagAction.run({ ...base, revision: "2", rules }, contextFor(admin)));
        expect(r).toMatchObject({ ok: false, code: "invalid_input" });
        expect((r as { fieldErrors: Record<string, string> }).fieldErrors.rules).toBeTruthy();
      }
      const badVariant = await unchanged(() => saveFlagAction.run({ ...base, revision: "2", rules: JSON.stringify([{ segment: "staff", variant: "maybe" }]) }, contextFor(admin)));
      expect(badVariant).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining('unknown variant "maybe"') });
      const badSegment = await unchanged(() => saveFlagAction.run({ ...base, revision: "2", rules: JSON.stringify([{ segment: "nobody_made_this", variant: "on" }]) }, contextFor(admin)));
      expect(badSegment).toMatchObject({ ok: false, code: "invalid_input", message: expect.stringContaining("unknown segment") });
    });

    it("rollout 140 %", async () => {
      const r = await unchanged(() => saveFlagAction.run({ ...base, revision: "2", rollout: "140" }, contextFor(admin)));
      expect(r).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { rollout: "Rollout must be between 0 and 100 %." } });
      const nan = await unchanged(() => saveFlagAction.run({ ...base, revision: "2", rollout: "lots" }, contextFor(admin)));
      expect(nan).toMatchObject({ ok: false, code: "invalid_input" });
    });

    it("a value of the wrong type, a missing reason, a kill switch through the flag editor", async () => {
      expect(await unchanged(() => saveFlagAction.run({ ...base, revision: "2", defaultValue: '"yes"' }, contextFor(admin)))).toMatchObject({ code: "invalid_input" });
      expect(await unchanged(() => saveFlagAction.run({ ...base, revision: "2", reason: "" }, contextFor(admin)))).toMatchObject({ code: "invalid_input", fieldErrors: { reason: expect.any(String) } });
      expect(await unchanged(() => saveFlagAction.run({ ...base, key: "payments", kind: "kill_switch" }, contextFor(admin)))).toMatchObject({ code: "invalid_input" });
      expect(await unchanged(() => saveFlagAction.run({ ...base, key: "payments" }, contextFor(admin)))).toMatchObject({ code: "conflict" });
      expect(await unchanged(() => setKillSwitchAction.run({ key: "payments", on: "off", reason: "past", reenableAt: "2001-01-01T00:00Z" }, contextFor(admin)))).toMatchObject({ code: "invalid_input" });
    });

    it("a user or support account calling the change actions is refused", async () => {
      for (const role of ["user", "support"] as const) {
        const who = await createTestUser({ role });
        expect(await unchanged(() => setKillSwitchAction.run({ key: "payments", on: "off", reason: "let me" }, contextFor(who)))).toMatchObject({ ok: false, code: "forbidden" });
        expect(await unchanged(() => saveFlagAction.run({ ...base, revision: "2", rollout: "100" }, contextFor(who)))).toMatchObject({ ok: false, code: "forbidden" });
      }
      expect(await unchanged(() => setKillSwitchAction.run({ key: "payments", on: "off", reason: "anon" }, contextFor(null)))).toMatchObject({ code: "unauthenticated" });
      expect(isKillSwitchOn("payments")).toBe(true);
    });
  });
});
