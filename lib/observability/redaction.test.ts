import { Writable } from "node:stream";
import * as Sentry from "@sentry/nextjs";
import bcrypt from "bcryptjs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { users } from "@/db/schema";
import { getDb, type Executor } from "@/lib/database";
import { defineAction } from "@/lib/procedures";
import { startFakeSentry } from "@/test/fixtures/fake-sentry";
import { contextFor, createTestUser } from "@/test/factories";
import { scrubConsole } from "./console";
import { createLogger, logger } from "./logger";
import { captureServerError, flushSentry } from "./sentry";
import { sentryOptions } from "./sentry-options";

/**
 * A password hash, a password, a token and an email, fed through every
 * path that writes outside the process: the structured logger (by key, in
 * messages, as interpolated values, as an error), a failed query (whose
 * bound values drizzle, the driver and Postgres all repeat), the guarded
 * path's crash report, the server console and Sentry (the real SDK against a
 * local ingest stand-in). None of the four may appear in any output.
 */
const SECRETS = {
  hash: bcrypt.hashSync("never-logged-password", 4),
  password: "correct-horse-battery-staple-42",
  token: "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJsZWFrLWNoZWNrIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
  email: `leak-${crypto.randomUUID().slice(0, 8)}@example.test`,
};

function expectNoSecrets(output: string): void {
  expect(output.length).toBeGreaterThan(0);
  for (const [name, value] of Object.entries(SECRETS)) expect(output, `${name} leaked`).not.toContain(value);
}

/** Everything an error holds, own properties included (enumerable or not), down its cause chain. */
function everything(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    for (const key of Object.getOwnPropertyNames(e)) parts.push(`${key}=${JSON.stringify((e as Record<string, unknown>)[key]) ?? ""}`);
  }
  return parts.join("\n");
}

/** A query that fails with all four as bound values: the id is not a uuid. */
async function failingQuery(db?: Executor): Promise<unknown> {
  try {
    await (db ?? (await getDb())).insert(users).values({ id: SECRETS.token, email: SECRETS.email, name: SECRETS.password, passwordHash: SECRETS.hash });
  } catch (error) {
    return error;
  }
  throw new Error("the query should have failed");
}

function captureLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { lines, log: createLogger(stream, { level: "trace" }) };
}

let fake: Awaited<ReturnType<typeof startFakeSentry>>;
beforeAll(async () => {
  fake = await startFakeSentry();
  Sentry.init({ ...sentryOptions(fake.dsn, { environment: "test" }), defaultIntegrations: false });
});
afterAll(async () => {
  await Sentry.close(2000);
  await fake.close();
});
afterEach(() => vi.restoreAllMocks());

describe("nothing secret in logs or Sentry", () => {
  it("a failed query keeps none of its values (message, stack, params, driver error), and still says why it failed", async () => {
    const error = await failingQuery();
    expectNoSecrets(everything(error));
    expect((error as Error).message).toMatch(/^Failed query: insert into "users".*invalid input syntax for type uuid/s);
    expect((error as { cause?: { code?: string } }).cause?.code).toBe("22P02");
    // A unique violation: Postgres quotes the value in its detail; the code the guarded path relies on survives.
    const db = await getDb();
    await db.insert(users).values({ email: SECRETS.email, name: "first" });
    const duplicate = await db.insert(users).values({ email: SECRETS.email, name: "second", passwordHash: SECRETS.hash }).catch((e: unknown) => e);
    expectNoSecrets(everything(duplicate));
    expect((duplicate as { cause?: { code?: string; detail?: string } }).cause).toMatchObject({ code: "23505", detail: expect.stringContaining("[redacted]") });
  });

  it("the logger: by key at any depth, in the message, as interpolated values, and a failed query as the error", async () => {
    const { lines, log } = capture();
    log.info({ ...SECRETS, user: { credentials: { ...SECRETS } }, list: [SECRETS.email] }, `signed in ${SECRETS.email} with ${SECRETS.token}`);
    log.warn("hash %s for %s", SECRETS.hash, SECRETS.email);
    log.error({ err: await failingQuery(), action: "test" }, "query failed");
    log.error(await failingQuery());
    expect(lines).toHaveLength(4);
    expectNoSecrets(lines.join("\n"));
    expect(JSON.parse(lines[2]!)).toMatchObject({ err: { message: expect.stringContaining("invalid input syntax") }, msg: "query failed" });
  });

  it("the guarded path's crash report: its log line and the Sentry event", async () => {
    const { lines, log } = capture();
    vi.spyOn(logger, "error").mockImplementation(((...args: Parameters<typeof logger.error>) => log.error(...args)) as typeof logger.error);
    const crash = defineAction({
      name: "test.redaction_crash",
      permission: "self:write",
      input: z.object({ password: z.string() }),
      handler: async ({ tx }) => {
        throw await failingQuery(tx);
      },
      audit: { action: "report.submit", target: () => ({ type: "problem_report", id: null }) },
    });
    const result = await crash.run({ password: SECRETS.password }, contextFor(await createTestUser()));
    expect(result).toMatchObject({ ok: false, code: "internal" });
    if (result.ok) return;
    expectNoSecrets(lines.join("\n"));
    await flushSentry();
    const event = await fake.waitFor((i) => i.type === "event" && i.payload.event_id === result.errorId);
    expectNoSecrets(JSON.stringify(event.payload));
  });

  it("Sentry's beforeSend: exception, message, extra, user, request and breadcrumbs", async () => {
    Sentry.addBreadcrumb({ message: `looked up ${SECRETS.email}`, data: { token: SECRETS.token } });
    const id = Sentry.withScope((scope) => {
      scope.setUser({ id: "u-1", email: SECRETS.email });
      scope.setExtras({ password: SECRETS.password, nested: { passwordHash: SECRETS.hash }, note: `for ${SECRETS.email}` });
      scope.setContext("request", { headers: { authorization: `Bearer ${SECRETS.token}`, cookie: `session=${SECRETS.token}` } });
      return Sentry.captureException(new Error(`sign-in failed for ${SECRETS.email} with hash ${SECRETS.hash}`));
    });
    const direct = captureServerError(await failingQuery(), { requestId: "r-redaction", userId: "u-2" });
    await flushSentry();
    const events = await Promise.all([id, direct].map((eventId) => fake.waitFor((i) => i.type === "event" && i.payload.event_id === eventId)));
    expectNoSecrets(JSON.stringify(events.map((e) => e.payload)));
    expect(events[0]!.payload).toMatchObject({ user: { id: "u-1" } });
    expect(events[1]!.payload).toMatchObject({ tags: expect.objectContaining({ request_id: "r-redaction" }) });
  });

  it("the server console, where Next.js prints what a page or route threw", async () => {
    const printed: string[] = [];
    const target = { log: (...a: unknown[]) => printed.push(a.map(String).join(" ")), info: () => {}, warn: () => {}, debug: () => {}, trace: () => {} } as unknown as Console;
    target.error = (...a: unknown[]) => printed.push(a.map((x) => (x instanceof Error ? `${x.stack} ${String(x.cause && (x.cause as Error).message)}` : JSON.stringify(x))).join(" "));
    scrubConsole(target);
    target.error(await failingQuery());
    target.error(`user ${SECRETS.email} failed`, { password: SECRETS.password, token: SECRETS.token });
    target.log(`hash ${SECRETS.hash}`);
    expectNoSecrets(printed.join("\n"));
  });
});

function capture() {
  return captureLogger();
}
