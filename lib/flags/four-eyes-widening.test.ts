import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { flags, flagSegments } from "@/db/schema";
import { env } from "@/lib/env";
import { contextFor, createTestUser, flagFormInput } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";
import { decideChangeAction, saveFlagAction, saveSegmentAction } from "./actions";
import { getKillSwitchStates, invalidateFlagSnapshot } from "./index";
import { replayEvaluation } from "./replay";

/**
 * Four eyes on every change that widens what production serves: a segment a
 * production flag uses, an ops flag, a kill switch turned back on. Each waits
 * for a second admin, exactly like a production rollout increase; turning
 * something off never waits.
 */
let admin: Awaited<ReturnType<typeof createTestUser>>;
let second: Awaited<ReturnType<typeof createTestUser>>;
const mutableEnv = env as { appEnv: string };
const environmentBefore = mutableEnv.appEnv;

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  second = await createTestUser({ role: "admin" });
  // This process serves production: the environment where a second admin is needed.
  mutableEnv.appEnv = "production";
});

afterAll(async () => {
  await setKillSwitch({ key: "exports", on: true, reason: "four eyes test cleanup", actor: "cli:ops" });
  mutableEnv.appEnv = environmentBefore;
});

const pendingId = (result: unknown) => (result as { data: { pendingApproval: string | null } }).data.pendingApproval;

async function exportsOn(): Promise<boolean> {
  invalidateFlagSnapshot();
  return (await getKillSwitchStates()).find((s) => s.key === "exports")!.on;
}

const flagInput = (key: string, overrides: Record<string, string> = {}) => flagFormInput(key, { description: "four eyes", owner: "ops-team", reason: "four eyes drill", ...overrides });

describe("four eyes on widening changes in production", () => {
  it("a kill switch goes off at once, but back on only when a second admin approves", async () => {
    const off = await setKillSwitch({ key: "exports", on: false, reason: "incident drill", actor: admin });
    expect(off).toMatchObject({ ok: true, data: { after: { on: false } } });
    expect(await exportsOn()).toBe(false);

    const asked = await setKillSwitch({ key: "exports", on: true, reason: "incident over", actor: admin });
    expect(asked).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String), after: { on: false } } });
    expect(await exportsOn()).toBe(false);
    const requestId = pendingId(asked)!;
    expect(await decideChangeAction.run({ requestId, decision: "approve", reason: "me myself" }, contextFor(admin))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await exportsOn()).toBe(false);
    const beforeApproval = new Date();
    expect(await decideChangeAction.run({ requestId, decision: "approve", reason: "checked the graphs" }, contextFor(second))).toMatchObject({ ok: true, data: { status: "applied" } });
    expect(await exportsOn()).toBe(true);
    // "What did users get at T" follows the approval, not the request.
    const db = await getDb();
    expect((await replayEvaluation(db, { key: "exports", at: beforeApproval, context: {}, environment: "production" })).evaluation).toMatchObject({ value: false });
    expect((await replayEvaluation(db, { key: "exports", at: new Date(), context: {}, environment: "production" })).evaluation).toMatchObject({ value: true });
  });

  it("the ops CLI (the break-glass path, audited as cli:ops) still turns a switch back on directly", async () => {
    await setKillSwitch({ key: "exports", on: false, reason: "cli drill", actor: admin });
    expect(await setKillSwitch({ key: "exports", on: true, reason: "cli drill over", actor: "cli:ops" })).toMatchObject({ ok: true, data: { after: { on: true } } });
    expect(await exportsOn()).toBe(true);
  });

  it("an ops flag: widening it waits for a second admin; turning it off does not", async () => {
    const key = `ops_${crypto.randomUUID().slice(0, 8)}`;
    expect(await saveFlagAction.run(flagInput(key, { kind: "ops" }), contextFor(admin))).toMatchObject({ ok: true, data: { pendingApproval: null } });
    const widened = await saveFlagAction.run(flagInput(key, { kind: "ops", revision: "1", rollout: "50" }), contextFor(admin));
    expect(pendingId(widened)).toEqual(expect.any(String));
    const db = await getDb();
    expect((await db.select().from(flags).where(eq(flags.key, key)))[0]!.environments.production!.rollout).toBe(0);
    expect(await decideChangeAction.run({ requestId: pendingId(widened)!, decision: "approve", reason: "fine" }, contextFor(second))).toMatchObject({ ok: true, data: { status: "applied" } });
    expect((await db.select().from(flags).where(eq(flags.key, key)))[0]!.environments.production!.rollout).toBe(50);
    const off = await saveFlagAction.run(flagInput(key, { kind: "ops", revision: "2", rollout: "50", enabled: "off" }), contextFor(admin));
    expect(off).toMatchObject({ ok: true, data: { pendingApproval: null } });
  });

  it("a segment a production flag uses: an edit waits for a second admin; a segment no production flag uses changes at once", async () => {
    const segment = `seg_${crypto.randomUUID().slice(0, 8)}`;
    const staffOnly = JSON.stringify([{ attribute: "role", operator: "in", values: ["admin"] }]);
    const everyone = JSON.stringify([{ attribute: "role", operator: "in", values: ["admin", "support", "user"] }]);
    // Unused: instant.
    expect(await saveSegmentAction.run({ key: segment, conditions: staffOnly, reason: "define staff" }, contextFor(admin))).toMatchObject({ ok: true, data: { pendingApproval: null } });
    // A production flag starts serving it (itself a four-eyes change).
    const flag = `rel_${crypto.randomUUID().slice(0, 8)}`;
    expect(await saveFlagAction.run(flagInput(flag), contextFor(admin))).toMatchObject({ ok: true });
    const targeted = await saveFlagAction.run(flagInput(flag, { revision: "1", rules: JSON.stringify([{ segment, variant: "on" }]) }), contextFor(admin));
    expect(await decideChangeAction.run({ requestId: pendingId(targeted)!, decision: "approve", reason: "staff first" }, contextFor(second))).toMatchObject({ ok: true });

    // Now widening the segment would widen the flag for outsiders: it waits.
    const asked = await saveSegmentAction.run({ key: segment, conditions: everyone, reason: "everyone in" }, contextFor(admin));
    expect(asked).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });
    const db = await getDb();
    const stored = async () => (await db.select().from(flagSegments).where(eq(flagSegments.key, segment)))[0]!.conditions;
    expect(await stored()).toEqual(JSON.parse(staffOnly));
    const replayFor = async (role: string) => (await replayEvaluation(db, { key: flag, at: new Date(), context: { id: "someone", role }, environment: "production" })).evaluation?.value;
    expect(await replayFor("user")).toBe(false);
    expect(await decideChangeAction.run({ requestId: pendingId(asked)!, decision: "approve", reason: "me myself" }, contextFor(admin))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await decideChangeAction.run({ requestId: pendingId(asked)!, decision: "approve", reason: "agreed" }, contextFor(second))).toMatchObject({ ok: true, data: { status: "applied" } });
    expect(await stored()).toEqual(JSON.parse(everyone));
    expect(await replayFor("user")).toBe(true);

    // An approval never lands over a change made since it was asked for.
    const first = await saveSegmentAction.run({ key: segment, conditions: staffOnly, reason: "narrow again" }, contextFor(admin));
    const staff = JSON.stringify([{ attribute: "role", operator: "in", values: ["admin", "support"] }]);
    const other = await saveSegmentAction.run({ key: segment, conditions: staff, reason: "support too" }, contextFor(second));
    expect(await decideChangeAction.run({ requestId: pendingId(other)!, decision: "approve", reason: "support too, fine" }, contextFor(admin))).toMatchObject({ ok: true });
    expect(await stored()).toEqual(JSON.parse(staff));
    expect(await decideChangeAction.run({ requestId: pendingId(first)!, decision: "approve", reason: "narrow it" }, contextFor(second))).toMatchObject({ ok: false, code: "conflict" });
  });
});
