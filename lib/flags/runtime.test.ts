import { afterEach, describe, expect, it } from "vitest";
import type { FlagDefinition } from "./model";
import { getFlagSync } from "./runtime";
import { pinFlagSnapshot, resetFlagCacheForTests } from "./store";

/** A boolean release flag rolled out to the same share in every environment. */
function rolledOutTo(rollout: number): FlagDefinition {
  const state = { enabled: true, targets: [], rules: [], rollout };
  return {
    key: "checkout",
    kind: "release",
    valueType: "boolean",
    variants: [],
    defaultValue: false,
    offValue: false,
    environments: { development: state, preview: state, production: state },
    prerequisites: [],
    seed: "",
    whenUnknown: false,
  };
}

function pin(version: number, flag: FlagDefinition, overrides: Record<string, string> = {}) {
  pinFlagSnapshot({ version, flags: new Map([[flag.key, flag]]), segments: new Map(), rows: new Map(), overrides, loadedAt: Date.now() });
}

afterEach(() => resetFlagCacheForTests());

describe("getFlagSync across snapshots", () => {
  it("answers from the snapshot it is given: a reload never serves the previous snapshot's answer", () => {
    pin(1, rolledOutTo(0));
    expect(getFlagSync("checkout", { id: "u1" }, false)).toEqual({ value: false, reason: "default", version: 1 });
    pin(2, rolledOutTo(100));
    expect(getFlagSync("checkout", { id: "u1" }, false)).toEqual({ value: true, variant: "on", reason: "rollout", version: 2 });
    pin(3, rolledOutTo(100), { FLAG_CHECKOUT: "off" });
    expect(getFlagSync("checkout", { id: "u1" }, false)).toMatchObject({ value: false, reason: "override", version: 3 });
  });

  it("overrides passed by the caller win over the snapshot's", () => {
    pin(4, rolledOutTo(100));
    expect(getFlagSync("checkout", { id: "u1" }, false, { FLAG_CHECKOUT: "off" })).toMatchObject({ value: false, reason: "override" });
    expect(getFlagSync("checkout", { id: "u1" }, false)).toMatchObject({ value: true, reason: "rollout" });
  });

  it("a flag the snapshot does not have answers whenUnknown, and each call gets a result of its own", () => {
    pin(5, rolledOutTo(100));
    expect(getFlagSync("missing", { id: "u1" }, "fallback")).toMatchObject({ value: "fallback" });
    const first = getFlagSync("checkout", { id: "u1" }, false);
    expect(getFlagSync("checkout", { id: "u1" }, false)).not.toBe(first);
  });
});
