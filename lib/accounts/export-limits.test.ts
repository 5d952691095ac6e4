import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth";
import { getDb } from "@/lib/database";
import { describeWait } from "@/lib/ratelimit";
import { contextFor, createTestUser } from "@/test/factories";
import { requestExport } from "./actions";

/**
 * Friendly limits on the export form: only successful exports count against
 * the three an hour (a mistyped password used to spend one), wrong
 * passwords have a budget of their own, and a wait reads "about 34 minutes",
 * not "2018 seconds".
 */
const PASSWORD = "correct horse battery";
let passwordHash: string;
// Opening (and migrating) the database is the slow part: do it under the hook timeout, not a test's.
beforeAll(async () => {
  await getDb();
  passwordHash = await hashPassword(PASSWORD);
});

const WAIT = /Try again in (\d+ seconds?|about (a|an|\d+) (minute|minutes|hour|hours))\.$/;

describe("export limits", () => {
  it("a wrong password spends no export: three successful exports do, and the fourth names the wait in minutes", async () => {
    const ctx = contextFor(await createTestUser({ passwordHash }));
    for (let i = 0; i < 3; i++) expect(await requestExport.run({ format: "json", password: "wrong" }, ctx)).toMatchObject({ ok: false, code: "invalid_input" });
    for (let i = 0; i < 3; i++) expect(await requestExport.run({ format: "json", password: PASSWORD }, ctx)).toMatchObject({ ok: true });
    const fourth = await requestExport.run({ format: "zip", password: PASSWORD }, ctx);
    expect(fourth).toMatchObject({ ok: false, code: "rate_limited", retryAfter: expect.any(Number) });
    if (fourth.ok) return;
    expect(fourth.message).toMatch(/^Too many attempts\. /);
    expect(fourth.message).toMatch(WAIT);
    expect(fourth.message).toBe(`Too many attempts. Try again in ${describeWait(fourth.retryAfter!)}.`);
    expect(fourth.message).not.toMatch(/\d{3,} seconds/);
  });

  it("wrong passwords are limited on their own: after five, even the right one waits, and no export was spent", async () => {
    const user = await createTestUser({ passwordHash });
    const ctx = contextFor(user);
    for (let i = 0; i < 5; i++) expect(await requestExport.run({ format: "json", password: `guess ${i}` }, ctx)).toMatchObject({ ok: false, code: "invalid_input" });
    const blocked = await requestExport.run({ format: "json", password: PASSWORD }, ctx);
    expect(blocked).toMatchObject({ ok: false, code: "rate_limited" });
    if (blocked.ok) return;
    expect(blocked.message).toMatch(/^Too many wrong passwords\. /);
    expect(blocked.message).toMatch(WAIT);
  });
});

describe("waits as a person says them", () => {
  it.each([
    [1, "1 second"],
    [30, "30 seconds"],
    [59, "59 seconds"],
    [60, "60 seconds"],
    [61, "about a minute"],
    [89, "about a minute"],
    [2018, "about 34 minutes"],
    [3540, "about 59 minutes"],
    [3599, "about an hour"],
    [3600, "about an hour"],
    [7200, "about 2 hours"],
  ])("%i s → %s", (seconds, words) => {
    expect(describeWait(seconds)).toBe(words);
  });
});
