import { describe, expect, it } from "vitest";
import { memoize } from "./memo";

describe("memoize", () => {
  it("shares one call between concurrent callers and never caches a failure", async () => {
    let calls = 0;
    let fail = true;
    const f = memoize(async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 10));
      if (fail) throw new Error("down");
      return calls;
    }, 60_000);
    await expect(Promise.all([f(), f(), f()])).rejects.toThrow("down");
    expect(calls).toBe(1);
    fail = false;
    expect(await Promise.all([f(), f()])).toEqual([2, 2]);
    expect(await f()).toBe(2);
    f.clear();
    expect(await f()).toBe(3);
  });
});
