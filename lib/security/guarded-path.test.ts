import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getDb } from "@/lib/database";
import { auditEvents } from "@/db/schema";
import { searchAuditLog } from "@/lib/audit/queries";
import { defineAction, defineQuery } from "@/lib/procedures";
import { systemContext } from "@/lib/safety";
import { contextFor, createTestUser } from "@/test/factories";

// Open (and migrate) the database once, outside any single test's time budget.
beforeAll(() => getDb());

// Test-only procedures (names start with "test." so the hostile-input sweep skips them).
const mutate = defineAction({
  name: "test.same_origin_mutation",
  permission: ["self:write", "system"],
  input: z.object({ note: z.string().max(50).default("") }),
  handler: async () => ({ done: true }),
  audit: { action: "project.rename", target: () => ({ type: "test", id: "same-origin" }) },
});

const read = defineQuery({
  name: "test.same_origin_read",
  permission: "self:write",
  input: z.object({}),
  handler: async () => ({ read: true }),
});

const limited = defineAction({
  name: "test.limit_after_input",
  permission: "self:write",
  rateLimit: { policy: "payment", by: "user", scope: "after-input" },
  input: z.object({ amount: z.number().int().positive() }),
  handler: async ({ input }) => ({ amount: input.amount }),
  audit: { action: "billing.plan_change", target: () => ({ type: "test", id: null }) },
});

const HOST = "app.example.test:3000";
const browser = (via: "server_action" | "route", origin: string | null, secFetchSite: string | null = null) => ({ via, origin: { origin, secFetchSite, host: HOST } });

describe("browser mutations must come from this app's own pages", () => {
  it("accepts a same-origin Origin, or Sec-Fetch-Site: same-origin when a browser sent no Origin", async () => {
    const user = await createTestUser();
    expect(await mutate.run({}, contextFor(user, browser("server_action", `http://${HOST}`)))).toMatchObject({ ok: true });
    expect(await mutate.run({}, contextFor(user, browser("route", null, "same-origin")))).toMatchObject({ ok: true });
  });

  it.each([
    ["another port of the same host (same site)", "http://app.example.test:4000", null],
    ["another site", "https://evil.example", "cross-site"],
    ["an opaque origin (sandboxed frame, no-referrer form)", "null", "cross-site"],
    ["no Origin and a cross-site fetch", null, "cross-site"],
    ["no Origin and a same-site fetch", null, "same-site"],
    ["no Origin and no fetch metadata (a hand-made request)", null, null],
    ["a lookalike host", `http://${HOST}.evil.example`, null],
  ])("refuses %s, for server actions and route handlers alike, and records the attempt", async (_label, origin, site) => {
    const user = await createTestUser();
    for (const via of ["server_action", "route"] as const) {
      const result = await mutate.run({ note: via }, contextFor(user, browser(via, origin, site)));
      expect(result).toMatchObject({ ok: false, code: "forbidden" });
    }
    const db = await getDb();
    const denied = await db.select().from(auditEvents).where(and(eq(auditEvents.actorId, user.id), eq(auditEvents.outcome, "denied")));
    expect(denied).toHaveLength(2);
  });

  it("does not apply to jobs, the ops CLI, tests, or reads", async () => {
    const user = await createTestUser();
    expect(await mutate.run({}, systemContext("cli:ops"))).toMatchObject({ ok: true });
    expect(await mutate.run({}, contextFor(user))).toMatchObject({ ok: true });
    expect(await read.run({}, contextFor(user, browser("route", null, "cross-site")))).toMatchObject({ ok: true });
  });
});

describe("input is validated before a rate limit is spent", () => {
  it("junk requests do not use up the caller's budget", async () => {
    const user = await createTestUser();
    for (let i = 0; i < 20; i++) expect(await limited.run({ amount: "lots" }, contextFor(user))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await limited.run({ amount: 3 }, contextFor(user))).toMatchObject({ ok: true, data: { amount: 3 } });
  });

  it("a rate-limited refusal names its target (the input is known by then)", async () => {
    const user = await createTestUser();
    for (let i = 0; i < 5; i++) await limited.run({ amount: 1 }, contextFor(user));
    expect(await limited.run({ amount: 1 }, contextFor(user))).toMatchObject({ ok: false, code: "rate_limited" });
    const db = await getDb();
    const [denied] = await db.select().from(auditEvents).where(and(eq(auditEvents.actorId, user.id), eq(auditEvents.outcome, "denied")));
    expect(denied).toMatchObject({ targetType: "test" });
  });
});

describe("NUL bytes are invalid input everywhere input is validated", () => {
  it("an action refuses a NUL anywhere in its input, nested or in a key", async () => {
    const user = await createTestUser();
    for (const input of [{ note: "a\u0000b" }, { note: "ok", extra: { deep: ["x\u0000"] } }, { "no\u0000te": "x" }]) {
      expect(await mutate.run(input, contextFor(user))).toMatchObject({ ok: false, code: "invalid_input" });
    }
  });

  it("an audit log filter with a NUL is refused as invalid, not a server error", async () => {
    const admin = await createTestUser({ role: "admin" });
    const result = await searchAuditLog.run({ target: "abc\u0000def" }, contextFor(admin));
    expect(result).toMatchObject({ ok: false, code: "invalid_input", fieldErrors: { target: expect.any(String) } });
  });
});
