import { beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "@/lib/auth";
import { contextFor, createTestUser } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";
import { saveFlagAction } from "./actions";
import { flagDetail, flagState, flagsOverview, newFlagForm } from "./queries";

const key = `queries_${crypto.randomUUID().slice(0, 8)}`;
let user: SessionUser;
let support: SessionUser;
let admin: SessionUser;

beforeAll(async () => {
  [user, support, admin] = await Promise.all([createTestUser(), createTestUser({ role: "support" }), createTestUser({ role: "admin" })]);
  const created = await saveFlagAction.run(
    {
      key,
      revision: "0",
      description: "Queries test flag",
      kind: "release",
      owner: "ops",
      valueType: "boolean",
      variants: "[]",
      defaultValue: "false",
      offValue: "false",
      prerequisites: "",
      seed: "",
      reviewBy: "2020-01-01",
      environment: "development",
      enabled: "on",
      rollout: "10",
      targets: "[]",
      rules: "[]",
      reason: "queries test",
    },
    contextFor(admin),
  );
  expect(created.ok).toBe(true);
});

describe("flag queries", () => {
  it("refuse a plain user; the new-flag form is for admins only", async () => {
    expect(await flagsOverview.run({}, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await flagDetail.run({ key }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await newFlagForm.run({}, contextFor(support))).toMatchObject({ ok: false, code: "forbidden" });
    expect((await newFlagForm.run({}, contextFor(admin))).ok).toBe(true);
  });

  it("show support the kill switches and flags read-only, and let admins change them", async () => {
    const seen = await flagsOverview.run({}, contextFor(support));
    expect(seen.ok).toBe(true);
    if (!seen.ok) return;
    expect(seen.data.canChange).toBe(false);
    expect(seen.data.killSwitches.map((s) => s.key)).toContain("payments");
    const flag = seen.data.flags.find((f) => f.key === key);
    expect(flag).toMatchObject({ description: "Queries test flag", stale: true });
    expect(seen.data.flags.some((f) => f.key === "payments")).toBe(false);
    const forAdmin = await flagsOverview.run({}, contextFor(admin));
    expect(forAdmin.ok && forAdmin.data.canChange).toBe(true);
  });

  // A switch no other suite flips: in the Postgres phase suites share one database.
  it("give each kill switch who changed it last and why", async () => {
    expect((await setKillSwitch({ key: "job_audit_anchor", on: false, reason: "anchor run stuck", actor: admin })).ok).toBe(true);
    expect((await setKillSwitch({ key: "job_audit_anchor", on: true, reason: "anchor fixed", actor: admin })).ok).toBe(true);
    const seen = await flagsOverview.run({}, contextFor(support));
    if (!seen.ok) throw new Error(seen.message);
    expect(seen.data.killSwitches.find((s) => s.key === "job_audit_anchor")).toMatchObject({ on: true, who: admin.email, why: "anchor fixed" });
  });

  it("give one flag's state, history and editability; an unknown key is not found, a bad hint is ignored", async () => {
    const detail = await flagDetail.run({ key, env: "no-such-env" }, contextFor(admin));
    expect(detail.ok).toBe(true);
    if (!detail.ok) return;
    expect(detail.data).toMatchObject({ key, environment: "development", canChange: true, stale: true });
    expect(detail.data.flag?.environments.development).toMatchObject({ enabled: true, rollout: 10 });
    expect(detail.data.history.map((h) => h.metadata.reason)).toContain("queries test");
    const bySupport = await flagDetail.run({ key }, contextFor(support));
    expect(bySupport.ok && bySupport.data.canChange).toBe(false);
    // A kill switch has no editable definition here: it is declared in code.
    const killSwitch = await flagDetail.run({ key: "payments" }, contextFor(admin));
    expect(killSwitch).toMatchObject({ ok: true, data: { flag: null, canChange: false } });
    expect(await flagDetail.run({ key: "no_such_flag" }, contextFor(admin))).toMatchObject({ ok: false, code: "not_found" });
  });

  it("replay: a bad moment or an unknown email is an answer on the page, not an error", async () => {
    const badTime = await flagDetail.run({ key, replayEmail: admin.email, replayAt: "yesterday-ish" }, contextFor(admin));
    expect(badTime.ok && badTime.data.replay).toMatchObject({ error: expect.stringContaining("ISO time") });
    const nobody = await flagDetail.run({ key, replayEmail: "nobody@example.test", replayAt: new Date().toISOString() }, contextFor(admin));
    expect(nobody.ok && nobody.data.replay).toEqual({ error: "No user with that email." });
    const replayed = await flagDetail.run({ key, replayEmail: user.email, replayAt: new Date().toISOString() }, contextFor(admin));
    expect(replayed.ok && replayed.data.replay).toMatchObject({ evaluation: { reason: expect.any(String) } });
  });

  it("state: paused paths for anyone, who changed what only for staff", async () => {
    const anonymous = await flagState.run({}, contextFor(null));
    expect(anonymous.ok).toBe(true);
    if (!anonymous.ok) return;
    expect(anonymous.data).toHaveProperty("paused");
    expect(anonymous.data).not.toHaveProperty("killSwitches");
    // The instance id is public: a region and random characters, nothing about the process (no PID).
    expect(anonymous.data.instance).toMatch(/^[a-z0-9-]+-[0-9a-f]{12}$/);
    expect(anonymous.data.instance.split("-")).not.toContain(String(process.pid));
    const asUser = await flagState.run({}, contextFor(user));
    expect(asUser.ok && asUser.data).not.toHaveProperty("killSwitches");
    const asStaff = await flagState.run({}, contextFor(support));
    expect(asStaff.ok && asStaff.data).toHaveProperty("killSwitches");
  });
});
