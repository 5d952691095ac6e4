import { z } from "zod";
import { describe, expect, it } from "vitest";
import { DependencyDownError } from "@/lib/breakers";
import { defineAction } from "@/lib/procedures";
import { contextFor, createTestUser } from "@/test/factories";

// Test-only actions (names start with "test." so the hostile-input sweep skips them).
const limited = defineAction({
  name: "test.ratelimit_payment",
  permission: "self:write",
  rateLimit: { policy: "payment", by: "user", scope: "test" },
  input: z.object({}),
  handler: async () => ({ done: true }),
  audit: { action: "billing.plan_change", target: () => ({ type: "test", id: null }) },
});

const providerDown = defineAction({
  name: "test.dependency_down",
  permission: "self:write",
  input: z.object({}),
  prepare: async () => {
    throw new DependencyDownError("payments", null, "open");
  },
  handler: async () => ({ done: true }),
  audit: { action: "billing.plan_change", target: () => ({ type: "test", id: null }) },
});

describe("rate limits through the guarded path", () => {
  it("the N+1st attempt is refused with a sentence that says when to retry", async () => {
    const user = await createTestUser();
    for (let i = 0; i < 5; i++) expect(await limited.run({}, contextFor(user))).toMatchObject({ ok: true });
    const refused = await limited.run({}, contextFor(user));
    expect(refused).toMatchObject({ ok: false, code: "rate_limited", retryAfter: expect.any(Number) });
    if (refused.ok) return;
    // The payment window is a minute: the wait is in seconds ("1 second" at the very end of a window).
    expect(refused.message).toMatch(/^Too many attempts\. Try again in (\d+ seconds|1 second)\.$/);
    // Someone else is not affected.
    expect(await limited.run({}, contextFor(await createTestUser()))).toMatchObject({ ok: true });
  });

  it("a provider behind an open breaker in prepare becomes dependency_down, not internal", async () => {
    const result = await providerDown.run({}, contextFor(await createTestUser()));
    expect(result).toMatchObject({ ok: false, code: "dependency_down" });
  });
});
