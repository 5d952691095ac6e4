import { createHash } from "node:crypto";
import * as Sentry from "@sentry/nextjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { problemReports } from "@/db/schema";
import { defineAction } from "@/lib/procedures";
import { startFakeSentry } from "@/test/fixtures/fake-sentry";
import { contextFor, createTestUser } from "@/test/factories";
import { errorIdForDigest } from "./constants";
import { captureRequestError, captureServerError, flushSentry, sentryEnabled, withCronCheckIn } from "./sentry";
import { sentryOptions } from "./sentry-options";

// Server-side proof (node SDK through @sentry/nextjs, the same init options the app uses):
// a real SDK pointed by DSN at a fake ingest endpoint on 127.0.0.1.
let fake: Awaited<ReturnType<typeof startFakeSentry>>;

beforeAll(async () => {
  fake = await startFakeSentry();
  Sentry.init({ ...sentryOptions(fake.dsn, { environment: "test", release: "test-release" }), defaultIntegrations: false });
});

afterAll(async () => {
  await Sentry.close(2000);
  await fake.close();
});

// An action that fails the way a bug does: an unexpected exception inside its transaction.
const crashing = defineAction({
  name: "test.observability_crash",
  permission: "self:write",
  input: z.object({}),
  handler: async ({ tx }) => {
    await tx.select({ id: problemReports.id }).from(problemReports).limit(1);
    throw new Error("deliberate crash for the Sentry wiring test");
  },
  audit: { action: "report.submit", target: () => ({ type: "problem_report", id: null }) },
});

describe("Sentry wiring with a DSN", () => {
  it("is enabled", () => {
    expect(sentryEnabled()).toBe(true);
  });

  it("gives the user the id of the event Sentry received, with user id and request id attached", async () => {
    const user = await createTestUser();
    const requestId = `req-${crypto.randomUUID()}`;
    const result = await crashing.run({}, contextFor(user, { requestId }));
    expect(result).toMatchObject({ ok: false, code: "internal" });
    if (result.ok) return;
    expect(result.errorId).toMatch(/^[0-9a-f]{32}$/);
    await flushSentry();
    const item = await fake.waitFor((i) => i.type === "event" && i.payload.event_id === result.errorId);
    expect(item.payload).toMatchObject({
      event_id: result.errorId,
      user: { id: user.id },
      tags: expect.objectContaining({ request_id: requestId, action: "test.observability_crash" }),
      environment: "test",
      release: "test-release",
    });
    expect(JSON.stringify(item.payload)).toContain("deliberate crash for the Sentry wiring test");
  });

  it("captureServerError returns the event id it sent", async () => {
    const id = captureServerError(new Error("direct"), { requestId: "r-direct", userId: "u-1" });
    await flushSentry();
    const item = await fake.waitFor((i) => i.type === "event" && i.payload.event_id === id);
    expect(item.payload).toMatchObject({ user: { id: "u-1" }, tags: expect.objectContaining({ request_id: "r-direct" }) });
  });

  it("sends a page crash under the event id its error page derives from the digest, as Sentry's handler would send it", async () => {
    const digest = String(Math.floor(Math.random() * 1e10));
    const crash = Object.assign(new Error("deliberate page crash for the error id test"), { digest });
    const shown = await errorIdForDigest(digest);
    // The derivation is plain SHA-256, so support can redo it from a digest in a log line.
    expect(shown).toBe(createHash("sha256").update(digest).digest("hex").slice(0, 32));
    await captureRequestError(
      crash,
      { path: "/debug/crash", method: "GET", headers: {} },
      { routerKind: "App Router", routePath: "/debug/crash", routeType: "render" },
    );
    await flushSentry();
    const item = await fake.waitFor((i) => i.type === "event" && JSON.stringify(i.payload).includes("deliberate page crash for the error id test"));
    expect(item.payload).toMatchObject({
      event_id: shown,
      tags: expect.objectContaining({ digest }),
      contexts: expect.objectContaining({ nextjs: expect.objectContaining({ route_type: "render", router_path: "/debug/crash" }) }),
    });
    const [exception] = (item.payload.exception as { values: { mechanism?: unknown }[] }).values;
    // Sentry's own handler made the event (what it adds, it still adds).
    expect(exception?.mechanism).toEqual({ type: "auto.function.nextjs.on_request_error", handled: false });

    // The same crash again (same digest): Sentry keeps one event per id, so the repeat goes under an id of its own,
    // tagged with the digest, and is counted rather than dropped as a duplicate.
    const again = Object.assign(new Error("deliberate page crash for the error id test, again"), { digest });
    await captureRequestError(again, { path: "/debug/crash", method: "GET", headers: {} }, { routerKind: "App Router", routePath: "/debug/crash", routeType: "render" });
    await flushSentry();
    const repeat = await fake.waitFor((i) => i.type === "event" && JSON.stringify(i.payload).includes("for the error id test, again"));
    expect(repeat.payload.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(repeat.payload.event_id).not.toBe(shown);
    expect(repeat.payload.tags).toMatchObject({ digest });
  });

  it("sends a route handler's error (no digest, nothing shown to match) under an id of its own", async () => {
    await captureRequestError(new Error("route handler broke"), { path: "/api/x", method: "POST", headers: {} }, { routerKind: "App Router", routePath: "/api/x", routeType: "route" });
    await flushSentry();
    const item = await fake.waitFor((i) => i.type === "event" && JSON.stringify(i.payload).includes("route handler broke"));
    expect(item.payload.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(item.payload.tags).not.toHaveProperty("digest");
  });

  it("sends Crons check-ins around a job: in progress, then ok", async () => {
    const slug = `job-ok-${crypto.randomUUID().slice(0, 8)}`;
    expect(await withCronCheckIn(slug, { crontab: "*/5 * * * *" }, async () => 42)).toBe(42);
    await flushSentry();
    await fake.waitFor((i) => i.type === "check_in" && i.payload.monitor_slug === slug && i.payload.status === "ok");
    const statuses = fake.checkIns().filter((c) => c.monitor_slug === slug).map((c) => c.status);
    expect(statuses).toEqual(["in_progress", "ok"]);
    const first = fake.checkIns().find((c) => c.monitor_slug === slug)!;
    expect(first.monitor_config).toMatchObject({ schedule: { type: "crontab", value: "*/5 * * * *" } });
  });

  it("reports a failing job as an error check-in and still throws", async () => {
    const slug = `job-fail-${crypto.randomUUID().slice(0, 8)}`;
    await expect(withCronCheckIn(slug, { crontab: "0 * * * *" }, async () => Promise.reject(new Error("job broke")))).rejects.toThrow("job broke");
    await flushSentry();
    await fake.waitFor((i) => i.type === "check_in" && i.payload.monitor_slug === slug && i.payload.status === "error");
  });
});
