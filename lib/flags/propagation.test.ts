/**
 * Two `next start` processes sharing one Postgres: flip a kill switch through
 * one, watch the other. Needs a production build and a Postgres database, so
 * it only runs when asked:
 *
 *   NEXT_DIST_DIR=.next-x npx next build
 *   E2E_BUILD_DIR=.next-x DATABASE_URL=postgres://… npx vitest run lib/flags/propagation.test.ts
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth";
import { createTestUser } from "@/test/factories";
import { signInCookie } from "@/test/http-sign-in";
import { setKillSwitch } from "@/test/kill-switch";
import { FLAG_REVALIDATE_MS } from "./store";

const BUILD_DIR = process.env.E2E_BUILD_DIR;
const DATABASE_URL = process.env.DATABASE_URL;
const enabled = Boolean(BUILD_DIR && DATABASE_URL);
const PORTS = [Number(process.env.PROPAGATION_PORT ?? 3291), Number(process.env.PROPAGATION_PORT ?? 3291) + 1];
const PASSWORD = "propagation-test-password";
const KEY = "report_problem";

const servers: ChildProcess[] = [];

async function waitForHealth(url: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not start`);
}

async function paused(base: string, cookie?: string): Promise<boolean> {
  const res = await fetch(`${base}/admin/flags/state`, { headers: cookie ? { cookie } : {} });
  const body = (await res.json()) as { paused: string[] };
  return body.paused.includes(KEY);
}

/** Polls until the instance serves `want`; returns ms from `since` to the first request that saw it (and how many requests that took). */
async function timeToSee(base: string, want: boolean, since: number, cookie?: string) {
  for (let n = 1; ; n++) {
    if ((await paused(base, cookie)) === want) return { ms: Date.now() - since, requests: n };
    if (Date.now() - since > 5000) throw new Error("change not seen within 5 s");
  }
}

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

describe.skipIf(!enabled)("propagation across two instances", () => {
  const [a, b] = PORTS.map((p) => `http://127.0.0.1:${p}`) as [string, string];
  let cookie = "";

  beforeAll(async () => {
    const admin = await createTestUser({ role: "admin", passwordHash: await hashPassword(PASSWORD) });
    for (const port of PORTS) {
      const child = spawn("npx", ["next", "start", "-H", "127.0.0.1", "-p", String(port)], {
        env: { ...process.env, NEXT_DIST_DIR: BUILD_DIR, AUTH_SECRET: "propagation-test-secret", AUTH_TRUST_HOST: "true", NEXT_TELEMETRY_DISABLED: "1" },
        stdio: "ignore",
        detached: true,
      });
      servers.push(child);
    }
    await Promise.all([waitForHealth(a), waitForHealth(b)]);
    cookie = await signInCookie(a, admin.email, PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await setKillSwitch({ key: KEY, on: true, reason: "propagation test cleanup", actor: "cli:ops" });
    for (const s of servers) if (s.pid) process.kill(-s.pid, "SIGTERM");
  });

  // Latency figures belong to `npm run bench`; this asserts the mechanism, not the machine's speed.
  it("a flip through A is seen by B: signed-in on the first request, anonymous on the first request after a second", async () => {
    const signedIn: number[] = [];
    const anonymous: number[] = [];
    let on = true;
    // Signed-in and anonymous rounds apart: a signed-in request reloading B would help an anonymous one along.
    for (let i = 0; i < 20; i++) {
      const asUser = i % 2 === 0;
      // Let B serve (and cache) the current state first, so each round measures a real change.
      await paused(b, asUser ? cookie : undefined);
      on = !on;
      const res = await fetch(`${a}/admin/flags/kill-switches`, {
        method: "POST",
        // A tool calling a mutating route says which app it is acting on, as a browser would (the same-origin rule).
        headers: { "content-type": "application/json", origin: a, cookie },
        body: JSON.stringify({ key: KEY, on, reason: `propagation round ${i}` }),
      });
      expect(res.status).toBe(200);
      const committed = Date.now();
      if (asUser) {
        // The session lookup carries the version: the first signed-in request after the commit already sees it.
        const seen = await timeToSee(b, !on, committed, cookie);
        expect(seen.requests).toBe(1);
        signedIn.push(seen.ms);
      } else {
        // An instance revalidates at most once an interval, on demand: once it has passed, the next request sees it.
        await new Promise((resolve) => setTimeout(resolve, FLAG_REVALIDATE_MS));
        const seen = await timeToSee(b, !on, committed);
        expect(seen.requests).toBe(1);
        anonymous.push(seen.ms);
      }
    }
    console.log(
      `propagation B after a change through A: signed-in p50 ${quantile(signedIn, 0.5)} ms p99 ${quantile(signedIn, 0.99)} ms; ` +
        `anonymous p50 ${quantile(anonymous, 0.5)} ms p99 ${quantile(anonymous, 0.99)} ms`,
    );
  });
});
