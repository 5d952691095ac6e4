import { describe, expect, it } from "vitest";
import { loadServerEnv } from "./schema";

describe("breaker drill settings", () => {
  // The breaker counts over a window of 20 calls and refuses a minimum it could never reach: every provider
  // call then failed as "internal". A bad drill value must fail the start instead, naming the variable.
  it("refuses BREAKER_MIN_CALLS above the breaker's window of 20 calls", () => {
    expect(() => loadServerEnv({ BREAKER_MIN_CALLS: "21" })).toThrow(/BREAKER_MIN_CALLS/);
    expect(loadServerEnv({ BREAKER_MIN_CALLS: "20" }).BREAKER_MIN_CALLS).toBe(20);
  });
});

describe("audit lanes", () => {
  it("appends to one lane unless an operator turns more on, and refuses a count outside 1–32", () => {
    // One lane keeps a build from before lanes a safe rollback target (README, "Known limits").
    expect(loadServerEnv({ NODE_ENV: "test" }).auditLanes).toBe(1);
    expect(loadServerEnv({ NODE_ENV: "test", AUDIT_LANES: "8" }).auditLanes).toBe(8);
    expect(() => loadServerEnv({ NODE_ENV: "test", AUDIT_LANES: "0" })).toThrow(/AUDIT_LANES/);
    expect(() => loadServerEnv({ NODE_ENV: "test", AUDIT_LANES: "33" })).toThrow(/AUDIT_LANES/);
  });
});
