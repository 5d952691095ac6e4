import { describe, expect, it } from "vitest";
import { evaluateFlag, flagShortcut, type EvaluateOptions } from "./evaluate";
import { rolloutBucket } from "./hash";
import type { EnvironmentState, FlagDefinition, Segment } from "./model";

function env(partial: Partial<EnvironmentState> = {}): EnvironmentState {
  return { enabled: true, targets: [], rules: [], rollout: 0, ...partial };
}

function flag(partial: Partial<FlagDefinition> = {}): FlagDefinition {
  return {
    key: "new_editor",
    kind: "release",
    valueType: "boolean",
    variants: [],
    defaultValue: false,
    offValue: false,
    environments: { production: env() },
    prerequisites: [],
    seed: "",
    whenUnknown: false,
    ...partial,
  };
}

const opts = (o: Partial<EvaluateOptions> = {}): EvaluateOptions => ({ environment: "production", version: 7, ...o });

describe("evaluateFlag precedence", () => {
  const everything = flag({
    environments: {
      production: env({
        targets: [{ variant: "off", ids: ["u-target"] }],
        rules: [{ conditions: [{ attribute: "role", operator: "equals", values: ["admin"] }], variant: "on" }],
        rollout: 100,
      }),
    },
  });

  it("serves the default when nothing matches", () => {
    expect(evaluateFlag(flag(), { id: "u1" }, opts())).toEqual({ value: false, reason: "default", version: 7 });
  });

  it("id targeting beats rules and rollout", () => {
    const r = evaluateFlag(everything, { id: "u-target", role: "admin" }, opts());
    expect(r).toMatchObject({ value: false, reason: "target_match", variant: "off", detail: "id target" });
  });

  it("rules beat rollout", () => {
    const f = flag({ environments: { production: env({ rules: [{ conditions: [{ attribute: "role", operator: "equals", values: ["admin"] }], variant: "off" }], rollout: 100 }) } });
    expect(evaluateFlag(f, { id: "u1", role: "admin" }, opts())).toMatchObject({ value: false, reason: "target_match" });
    expect(evaluateFlag(f, { id: "u1", role: "user" }, opts())).toMatchObject({ value: true, reason: "rollout" });
  });

  it("switched off in this environment beats targeting, and only in that environment", () => {
    const f = flag({ environments: { production: env({ enabled: false, targets: [{ variant: "on", ids: ["u1"] }] }), development: env({ rollout: 100 }) } });
    expect(evaluateFlag(f, { id: "u1" }, opts())).toMatchObject({ value: false, reason: "disabled" });
    expect(evaluateFlag(f, { id: "u1" }, opts({ environment: "development" }))).toMatchObject({ value: true, reason: "rollout" });
  });

  it("a scheduled re-enable turns the flag back on once its time has passed", () => {
    const f = flag({ defaultValue: true, environments: { production: env({ enabled: false, reenableAt: "2030-01-01T00:00:00.000Z" }) } });
    expect(evaluateFlag(f, {}, opts({ now: Date.parse("2029-12-31T23:59:59Z") })).reason).toBe("disabled");
    expect(evaluateFlag(f, {}, opts({ now: Date.parse("2030-01-01T00:00:01Z") }))).toMatchObject({ value: true, reason: "default" });
  });

  it("env override beats everything, including off and a missing snapshot", () => {
    const off = flag({ environments: { production: env({ enabled: false }) } });
    expect(evaluateFlag(off, { id: "u1" }, opts({ overrides: { FLAG_NEW_EDITOR: "on" } }))).toMatchObject({ value: true, reason: "override" });
    expect(evaluateFlag(everything, { id: "u1", role: "admin" }, opts({ overrides: { FLAG_NEW_EDITOR: "OFF" } }))).toMatchObject({ value: false, reason: "override" });
    expect(evaluateFlag(off, {}, opts({ version: -1, overrides: { FLAG_NEW_EDITOR: "on" } }))).toMatchObject({ value: true, reason: "override", version: -1 });
  });

  it("an override naming a variant serves it; an unknown one is ignored", () => {
    const mv = flag({
      valueType: "string",
      variants: [
        { key: "blue", value: "#00f", weight: 1 },
        { key: "red", value: "#f00", weight: 1 },
      ],
      defaultValue: "#000",
      offValue: "#fff",
    });
    expect(evaluateFlag(mv, {}, opts({ overrides: { FLAG_NEW_EDITOR: "red" } }))).toMatchObject({ value: "#f00", reason: "override", variant: "red" });
    expect(evaluateFlag(mv, {}, opts({ overrides: { FLAG_NEW_EDITOR: "green" } }))).toMatchObject({ value: "#000", reason: "default" });
    expect(evaluateFlag(mv, {}, opts({ overrides: { FLAG_NEW_EDITOR: "off" } }))).toMatchObject({ value: "#fff", reason: "override" });
  });

  it("another flag's override does not leak", () => {
    expect(evaluateFlag(flag(), {}, opts({ overrides: { FLAG_OTHER: "on" } })).reason).toBe("default");
  });

  it("falls back to whenUnknown without a snapshot", () => {
    expect(evaluateFlag(flag({ whenUnknown: true }), { id: "u1" }, opts({ version: -1 }))).toEqual({ value: true, reason: "fallback", version: -1 });
  });

  it("carries the config version it came from", () => {
    expect(evaluateFlag(flag(), {}, opts({ version: 42 })).version).toBe(42);
  });
});

describe("prerequisites", () => {
  const parent = flag({ key: "parent", environments: { production: env({ rollout: 100 }) } });
  const child = flag({ key: "child", prerequisites: ["parent"], environments: { production: env({ rollout: 100 }) } });

  it("child is on only when the parent is on", () => {
    const flags = new Map([
      ["parent", parent],
      ["child", child],
    ]);
    expect(evaluateFlag(child, { id: "u1" }, opts({ flags }))).toMatchObject({ value: true, reason: "rollout" });
    const parentOff = flag({ key: "parent", environments: { production: env({ enabled: false }) } });
    const r = evaluateFlag(child, { id: "u1" }, opts({ flags: new Map([["parent", parentOff]]) }));
    expect(r).toMatchObject({ value: false, reason: "disabled", detail: "prerequisite parent not met" });
  });

  it("a missing prerequisite or a cycle counts as not met", () => {
    expect(evaluateFlag(child, { id: "u1" }, opts({ flags: new Map() })).reason).toBe("disabled");
    const a = flag({ key: "a", prerequisites: ["b"], environments: { production: env({ rollout: 100 }) } });
    const b = flag({ key: "b", prerequisites: ["a"], environments: { production: env({ rollout: 100 }) } });
    const flags = new Map([
      ["a", a],
      ["b", b],
    ]);
    expect(evaluateFlag(a, { id: "u1" }, opts({ flags })).value).toBe(false);
  });

  it("the parent's override applies when checking the child", () => {
    const parentOff = flag({ key: "parent", environments: { production: env({ enabled: false }) } });
    const r = evaluateFlag(child, { id: "u1" }, opts({ flags: new Map([["parent", parentOff]]), overrides: { FLAG_PARENT: "on" } }));
    expect(r.value).toBe(true);
  });
});

describe("segments and operators", () => {
  const cases: [string, Segment["conditions"][number], Record<string, unknown>, boolean][] = [
    ["in", { attribute: "plan", operator: "in", values: ["pro", "team"] }, { plan: "Pro" }, true],
    ["in (miss)", { attribute: "plan", operator: "in", values: ["pro", "team"] }, { plan: "free" }, false],
    ["not_in", { attribute: "country", operator: "not_in", values: ["FR"] }, { country: "de" }, true],
    ["not_in (hit)", { attribute: "country", operator: "not_in", values: ["FR"] }, { country: "fr" }, false],
    ["not_in missing attribute", { attribute: "country", operator: "not_in", values: ["FR"] }, {}, false],
    ["equals", { attribute: "role", operator: "equals", values: ["support"] }, { role: "support" }, true],
    ["not_equals", { attribute: "role", operator: "not_equals", values: ["support"] }, { role: "user" }, true],
    ["contains", { attribute: "email", operator: "contains", values: ["+beta"] }, { email: "a+beta@x.io" }, true],
    ["starts_with", { attribute: "id", operator: "starts_with", values: ["qa-"] }, { id: "qa-7" }, true],
    ["ends_with domain", { attribute: "email", operator: "ends_with", values: ["@breakwater.test"] }, { email: "Ada@Breakwater.TEST" }, true],
    ["email_domain", { attribute: "email_domain", operator: "in", values: ["acme.com"] }, { email: "x@acme.com" }, true],
    ["email_domain (subdomain is not the domain)", { attribute: "email_domain", operator: "in", values: ["acme.com"] }, { email: "x@evil-acme.com" }, false],
    ["before", { attribute: "signup_date", operator: "before", values: ["2026-01-01"] }, { signupDate: "2025-06-01T00:00:00Z" }, true],
    ["after", { attribute: "signup_date", operator: "after", values: ["2026-01-01"] }, { signupDate: "2025-06-01T00:00:00Z" }, false],
    ["after bad date", { attribute: "signup_date", operator: "after", values: ["2026-01-01"] }, { signupDate: "not a date" }, false],
    ["beta opt-in", { attribute: "beta_opt_in", operator: "equals", values: ["true"] }, { betaOptIn: true }, true],
    ["semver_gte", { attribute: "app_version", operator: "semver_gte", values: ["1.10.0"] }, { appVersion: "1.9.9" }, false],
    ["semver_gte numeric not lexical", { attribute: "app_version", operator: "semver_gte", values: ["1.9.0"] }, { appVersion: "1.10.0" }, true],
    ["semver pre-release sorts first", { attribute: "app_version", operator: "semver_gte", values: ["2.0.0"] }, { appVersion: "2.0.0-beta.1" }, false],
    ["semver_lt", { attribute: "app_version", operator: "semver_lt", values: ["2.0.0"] }, { appVersion: "v1.2.3" }, true],
    ["semver garbage", { attribute: "app_version", operator: "semver_lt", values: ["2.0.0"] }, { appVersion: "latest" }, false],
  ];
  for (const [name, condition, context, expected] of cases) {
    it(name, () => {
      const segments = new Map([["s", { key: "s", conditions: [condition] }]]);
      const f = flag({ environments: { production: env({ rules: [{ segment: "s", variant: "on" }] }) } });
      expect(evaluateFlag(f, context, opts({ segments })).value).toBe(expected);
    });
  }

  it("every condition of a segment must hold", () => {
    const segments = new Map([
      [
        "staff_pro",
        {
          key: "staff_pro",
          conditions: [
            { attribute: "role" as const, operator: "in" as const, values: ["support", "admin"] },
            { attribute: "plan" as const, operator: "equals" as const, values: ["pro"] },
          ],
        },
      ],
    ]);
    const f = flag({ environments: { production: env({ rules: [{ segment: "staff_pro", variant: "on" }] }) } });
    expect(evaluateFlag(f, { role: "admin", plan: "pro" }, opts({ segments })).reason).toBe("target_match");
    expect(evaluateFlag(f, { role: "admin", plan: "free" }, opts({ segments })).reason).toBe("default");
  });

  it("an unknown segment matches nobody", () => {
    const f = flag({ environments: { production: env({ rules: [{ segment: "gone", variant: "on" }] }) } });
    expect(evaluateFlag(f, { id: "u1" }, opts({ segments: new Map() })).reason).toBe("default");
  });
});

describe("hashing and rollout", () => {
  it("fixed vectors: buckets never move between releases", () => {
    // If these change, every user's rollout membership changes: don't update them casually.
    expect(rolloutBucket("new_editor", "", "user-1")).toBe(VECTORS[0]);
    expect(rolloutBucket("new_editor", "", "user-2")).toBe(VECTORS[1]);
    expect(rolloutBucket("new_editor", "s1", "user-1")).toBe(VECTORS[2]);
    expect(rolloutBucket("checkout_v2", "", "3f1c9a2e-8a7b-4c1d-9e2f-0a1b2c3d4e5f")).toBe(VECTORS[3]);
    expect(rolloutBucket("payments", "", "")).toBe(VECTORS[4]);
  });

  it("buckets are in 0–99.999 with three decimals", () => {
    for (let i = 0; i < 1000; i++) {
      const b = rolloutBucket("k", "", `id-${i}`);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(100);
      expect(Math.abs(b * 1000 - Math.round(b * 1000))).toBeLessThan(1e-6);
    }
  });

  it("distribution is within ±0.5 % of the target over 100,000 ids", () => {
    for (const target of [1, 10, 25, 50, 90]) {
      const f = flag({ key: `dist_${target}`, environments: { production: env({ rollout: target }) } });
      let on = 0;
      for (let i = 0; i < 100_000; i++) if (evaluateFlag(f, { id: `user-${i}` }, opts()).value === true) on++;
      expect(Math.abs((on / 100_000) * 100 - target)).toBeLessThanOrEqual(0.5);
    }
  });

  it("raising the percentage never removes a user who was in", () => {
    const at = (p: number) => flag({ key: "mono", environments: { production: env({ rollout: p }) } });
    let previous = new Set<string>();
    for (const p of [1, 5, 12.5, 30, 50, 75, 99.999, 100]) {
      const f = at(p);
      const now = new Set<string>();
      for (let i = 0; i < 5000; i++) if (evaluateFlag(f, { id: `u${i}` }, opts()).value) now.add(`u${i}`);
      for (const id of previous) expect(now.has(id)).toBe(true);
      previous = now;
    }
    expect(previous.size).toBe(5000);
  });

  it("the seed reshuffles; the same seed is sticky", () => {
    const ids = Array.from({ length: 200 }, (_, i) => `u${i}`);
    const a = ids.map((id) => rolloutBucket("k", "a", id));
    expect(ids.map((id) => rolloutBucket("k", "a", id))).toEqual(a);
    expect(ids.map((id) => rolloutBucket("k", "b", id))).not.toEqual(a);
  });

  it("anonymous visitors without an id are outside a partial rollout, inside a full one", () => {
    expect(evaluateFlag(flag({ environments: { production: env({ rollout: 99 }) } }), {}, opts()).reason).toBe("default");
    expect(evaluateFlag(flag({ environments: { production: env({ rollout: 100 }) } }), {}, opts()).reason).toBe("rollout");
  });

  it("multivariate weights split the rollout and a variant stays put when the rollout grows", () => {
    const mv = (rollout: number) =>
      flag({
        key: "exp",
        valueType: "string",
        variants: [
          { key: "a", value: "A", weight: 1 },
          { key: "b", value: "B", weight: 3 },
        ],
        defaultValue: "control",
        offValue: "control",
        environments: { production: env({ rollout }) },
      });
    const half = mv(50);
    const full = mv(100);
    const counts: Record<string, number> = { A: 0, B: 0, control: 0 };
    for (let i = 0; i < 40_000; i++) {
      const id = `v${i}`;
      const r = evaluateFlag(half, { id }, opts());
      counts[r.value as string]!++;
      if (r.reason === "rollout") expect(evaluateFlag(full, { id }, opts()).value).toBe(r.value);
    }
    expect(counts.control! / 40_000).toBeCloseTo(0.5, 1);
    expect(counts.B! / counts.A!).toBeGreaterThan(2.7);
    expect(counts.B! / counts.A!).toBeLessThan(3.3);
  });
});

const VECTORS = [3.734, 17.218, 54.564, 49.765, 8.364];

describe("a flag's shortcut", () => {
  const variants = [
    { key: "blue", value: "blue", weight: 30 },
    { key: "green", value: "green", weight: 70 },
  ];
  const single = [{ key: "only", value: { size: 3 }, weight: 100 }];
  const kinds: Partial<FlagDefinition>[] = [{}, { valueType: "string", variants, defaultValue: "grey", offValue: "none" }, { valueType: "json", variants: single, defaultValue: {}, offValue: null }];
  const past = new Date(Date.now() - 60_000).toISOString();
  const future = new Date(Date.now() + 3_600_000).toISOString();
  const states: (EnvironmentState | undefined)[] = [
    undefined,
    env({ enabled: false }),
    env({ enabled: false, reenableAt: past, rollout: 100 }),
    env({ enabled: false, reenableAt: future, rollout: 100 }),
    ...[0, 37, 100].map((rollout) => env({ rollout })),
    env({ rollout: 50, targets: [{ variant: "on", ids: ["u-3"] }] }),
    env({ rollout: 50, rules: [{ conditions: [{ attribute: "plan", operator: "equals", values: ["pro"] }], variant: "off" }] }),
  ];
  const overrides = [undefined, "on", "off", "green", "nonsense"];
  const contexts = [{ id: null }, { id: "" }, { id: "u-3", plan: "pro" }, ...Array.from({ length: 40 }, (_, i) => ({ id: `user-${i}` }))];
  const parent = flag({ key: "parent", environments: { production: env({ rollout: 50 }) } });

  it("answers exactly what the full evaluation answers, for every kind of flag, state, override and user", () => {
    let shortcuts = 0;
    let compared = 0;
    for (const kind of kinds)
      for (const state of states)
        for (const prerequisites of [[], ["parent"]])
          for (const override of overrides)
            for (const version of [-1, 4]) {
              const f = flag({ ...kind, key: "checkout", seed: "s1", prerequisites, environments: state ? { production: state } : {} });
              const options = opts({ version, overrides: override === undefined ? {} : { FLAG_CHECKOUT: override }, flags: new Map([["parent", parent]]) });
              const shortcut = flagShortcut(f, options);
              if (shortcut) shortcuts++;
              for (const context of contexts) {
                const full = evaluateFlag(f, context, options);
                if (shortcut) {
                  expect(shortcut(context)).toStrictEqual(full);
                  compared++;
                }
              }
            }
    // Most combinations have a shortcut; the rest (targets, rules, prerequisites, a pending re-enable) have none.
    expect(shortcuts).toBeGreaterThan(100);
    expect(compared).toBeGreaterThan(4_000);
  });

  it("has none where the user or the time decides before the rollout", () => {
    const options = opts({ flags: new Map([["parent", parent]]) });
    expect(flagShortcut(flag({ environments: { production: env({ targets: [{ variant: "on", ids: ["u1"] }] }) } }), options)).toBeNull();
    expect(flagShortcut(flag({ environments: { production: env({ rules: [{ segment: "beta", variant: "on" }] }) } }), options)).toBeNull();
    expect(flagShortcut(flag({ prerequisites: ["parent"], environments: { production: env({ rollout: 100 }) } }), options)).toBeNull();
    expect(flagShortcut(flag({ environments: { production: env({ enabled: false, reenableAt: future }) } }), options)).toBeNull();
    expect(flagShortcut(flag({ environments: { production: env({ rollout: 37 }) } }), options)).not.toBeNull();
  });
});
