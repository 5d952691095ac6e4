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
