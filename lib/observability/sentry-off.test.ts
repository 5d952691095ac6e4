import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "@/lib/procedures";
import { contextFor, createTestUser } from "@/test/factories";
import { captureServerError, sentryEnabled, tagRequestScope, withCronCheckIn } from "./sentry";
import { liftRequestId } from "./sentry-options";

// Without a DSN nothing is initialised: every helper still works and nothing is sent.
describe("Sentry without a DSN", () => {
  it("is off, and the helpers still work", async () => {
    expect(sentryEnabled()).toBe(false);
    expect(captureServerError(new Error("x"), { requestId: "r" })).toMatch(/^[0-9a-f-]{36}$/);
    expect(() => tagRequestScope({ requestId: "r", userId: "u" })).not.toThrow();
    expect(await withCronCheckIn("job", { crontab: "* * * * *" }, async () => "ran")).toBe("ran");
  });

  it("still gives the user an error id from a crashing action", async () => {
    const crash = defineAction({
      name: "test.observability_crash_off",
      permission: "self:write",
      input: z.object({}),
      handler: async () => {
        throw new Error("boom");
      },
      audit: { action: "report.submit", target: () => ({ type: "problem_report", id: null }) },
    });
    const result = await crash.run({}, contextFor(await createTestUser()));
    expect(result).toMatchObject({ ok: false, code: "internal", errorId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it("lifts the request id header of a captured request to a tag", () => {
    const event = liftRequestId({ type: undefined, request: { headers: { "x-request-id": "abc" } } });
    expect(event.tags).toEqual({ request_id: "abc" });
  });
});
