import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalScheduler } from "./local-scheduler";

/**
 * The scheduler against a real HTTP server standing in for the app's cron
 * route: what it calls, when, and with which headers. The app's side (the
 * route, the secret check, the recorded trigger) is covered end to end by
 * e2e/local-scheduler.spec.ts.
 */
type Call = { path: string; authorization: string | undefined; trigger: string | undefined };
const calls: Call[] = [];
let delayMs = 0;
let server: http.Server;
let baseUrl = "";

beforeAll(async () => {
  server = http.createServer((req, res) => {
    calls.push({ path: req.url ?? "", authorization: req.headers.authorization, trigger: req.headers["x-cron-trigger"] as string | undefined });
    setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "succeeded", error: null })), delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const JOBS = [
  { name: "every_minute", schedule: "* * * * *" },
  { name: "every_ten", schedule: "*/10 * * * *" },
  { name: "nightly", schedule: "15 3 * * *" },
];

/** A clock the test moves by hand. */
function manualClock(iso: string) {
  let now = new Date(iso).getTime();
  return { read: () => new Date(now), set: (to: string) => void (now = new Date(to).getTime()) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

describe("local scheduler", () => {
  it("calls each job's cron route at the minutes its schedule names, with the secret and its trigger label", async () => {
    calls.length = 0;
    const clock = manualClock("2026-01-05T03:08:30Z");
    const scheduler = startLocalScheduler({ baseUrl, cronSecret: "s".repeat(20), jobs: JOBS, clock: clock.read, tickMs: 10 });
    try {
      await settle();
      expect(calls).toEqual([]); // nothing is due before the minute turns

      clock.set("2026-01-05T03:09:00Z");
      await settle();
      expect(calls.map((c) => c.path)).toEqual(["/api/cron/every_minute"]);

      clock.set("2026-01-05T03:10:00.500Z");
      await settle();
      expect(calls.map((c) => c.path).slice(1).sort()).toEqual(["/api/cron/every_minute", "/api/cron/every_ten"]);

      clock.set("2026-01-05T03:10:59Z"); // same minute: nothing more
      await settle();
      expect(calls).toHaveLength(3);
      expect(calls.every((c) => c.authorization === `Bearer ${"s".repeat(20)}` && c.trigger === "local-scheduler")).toBe(true);
      expect(scheduler.fired.map((f) => f.minute)).toContain("2026-01-05T03:10:00.000Z");
    } finally {
      await scheduler.stop();
    }
  });

  it("runs missed jobs once at start, and a clock that jumped hours runs each due job once", async () => {
    calls.length = 0;
    const clock = manualClock("2026-01-05T01:00:30Z");
    const scheduler = startLocalScheduler({ baseUrl, cronSecret: "s".repeat(20), jobs: JOBS, catchUp: ["nightly"], clock: clock.read, tickMs: 10 });
    try {
      await settle();
      expect(calls.map((c) => c.path)).toEqual(["/api/cron/nightly"]);
      expect(scheduler.fired[0]?.reason).toBe("catch_up");

      clock.set("2026-01-05T03:19:10Z"); // woke up after ~2 h 19 min: the last five minutes are replayed
      await settle();
      const paths = calls.slice(1).map((c) => c.path).sort();
      expect(paths).toEqual(["/api/cron/every_minute", "/api/cron/nightly"]);
    } finally {
      await scheduler.stop();
    }
  });

  it("never overlaps calls to one job, and stop() waits for the call in flight", async () => {
    calls.length = 0;
    delayMs = 400;
    const clock = manualClock("2026-01-05T03:00:30Z");
    const scheduler = startLocalScheduler({ baseUrl, cronSecret: "s".repeat(20), jobs: JOBS.slice(0, 1), clock: clock.read, tickMs: 10 });
    try {
      clock.set("2026-01-05T03:01:00Z");
      await settle();
      clock.set("2026-01-05T03:02:00Z"); // due again while the first call is still running
      await settle();
      expect(calls).toHaveLength(1);
      await scheduler.stop();
      expect(scheduler.fired).toEqual([{ job: "every_minute", minute: "2026-01-05T03:01:00.000Z", status: 200, reason: "schedule" }]);
    } finally {
      delayMs = 0;
      await scheduler.stop();
    }
  });
});
