import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Scenario } from "./plan";
import { formatReport, quantile, runSmoke } from "./run";

/**
 * The runner against a small HTTP server standing in for a deployment: it
 * signs in the way Auth.js expects (CSRF cookie and token, then the form
 * POST), and a scenario fails on a 5xx, on a status it does not allow, and
 * when a signed-in request is sent to /sign-in. The real app is checked by
 * e2e/smoke.spec.ts.
 */
let server: http.Server;
let base = "";
const seen: string[] = [];
let brokenStatus = 500;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const signedIn = (req.headers.cookie ?? "").includes("authjs.session-token=ok");
    if (req.headers["x-extra"]) seen.push(`header ${req.headers["x-extra"]}`);
    seen.push(`${req.method} ${req.url} ${signedIn ? "in" : "out"}`);
    if (req.url === "/api/auth/csrf") {
      res.writeHead(200, { "content-type": "application/json", "set-cookie": "authjs.csrf-token=abc%7Chash; Path=/; HttpOnly" });
      return res.end(JSON.stringify({ csrfToken: "abc" }));
    }
    if (req.url === "/api/auth/callback/credentials") {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const form = new URLSearchParams(body);
        const good = form.get("csrfToken") === "abc" && (req.headers.cookie ?? "").includes("authjs.csrf-token=") && form.get("password") === "pw";
        res.writeHead(302, good ? { location: "/projects", "set-cookie": "authjs.session-token=ok; Path=/; HttpOnly" } : { location: "/sign-in?error=CredentialsSignin" });
        res.end();
      });
      return;
    }
    if (req.url === "/broken") res.writeHead(brokenStatus);
    else if (req.url === "/lost-session") res.writeHead(307, { location: "/sign-in" });
    else if (req.url === "/list") res.writeHead(200, { "content-type": "text/html" });
    else res.writeHead(200);
    res.end(req.url === "/list" ? '<a href="/things/12">a thing</a>' : "ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const logins = { user: { email: "u@x.test", password: "pw" }, support: { email: "s@x.test", password: "pw" }, admin: { email: "a@x.test", password: "pw" } };
const read = (name: string, path: Scenario["path"], extra: Partial<Scenario> = {}): Scenario => ({ name, covers: [name], method: "GET", viewers: ["visitor", "user"], kind: "read", path, ...extra });

describe("the smoke runner", () => {
  it("signs in, fills a dynamic path from a list page, runs every read at least once, and passes a healthy deployment", async () => {
    seen.length = 0;
    const plan = [read("GET /health", "/health", { expectStatus: [200] }), read("GET /things/[id]", { resolve: { list: "/list", as: "admin", link: /^\/things\/\d+$/ } })];
    const report = await runSmoke(plan, { base, durationMs: 0, users: 2, logins, headers: { "x-extra": "bypass" } });
    expect(report.ok, formatReport(report)).toBe(true);
    expect(seen.filter((s) => s === "header bypass").length).toBe(seen.filter((s) => !s.startsWith("header")).length);
    expect(seen).toEqual(expect.arrayContaining(["GET /health out", "GET /health in", "GET /things/12 out", "GET /things/12 in", "GET /list in"]));
    const names = report.scenarios.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["sign in as user (credentials)", "sign in as admin (credentials)", "GET /health", "GET /things/[id]"]));
    const health = report.scenarios.find((s) => s.name === "GET /health")!;
    expect(health.statuses).toEqual({ "200": 2 });
    expect(health.p50).not.toBeNull();
    expect(formatReport(report)).toMatch(/Smoke passed: \d+ scenarios/);
  });

  it("fails a scenario on a 5xx, on a status it does not allow, on a lost session, and on a refused sign-in", async () => {
    const plan = [read("GET /broken", "/broken"), read("GET /lost-session", "/lost-session"), read("GET /ready", "/teapot-not-200", { expectStatus: [201] })];
    const report = await runSmoke(plan, { base, durationMs: 0, users: 1, logins: { ...logins, support: { email: "s@x.test", password: "wrong" } } });
    expect(report.ok).toBe(false);
    const failures = Object.fromEntries(report.scenarios.map((s) => [s.name, s.failures]));
    expect(failures["GET /broken"]).toEqual(["/broken as visitor: 500", "/broken as user: 500"]);
    expect(failures["GET /lost-session"]).toEqual(["/lost-session as user: sent to /sign-in (the session did not hold)"]);
    expect(failures["GET /ready"]).toEqual(["/teapot-not-200 as visitor: 200, expected 201", "/teapot-not-200 as user: 200, expected 201"]);
    expect(failures["sign in as support (credentials)"]![0]).toMatch(/^sign-in refused for s@x\.test/);
    expect(formatReport(report)).toMatch(/Smoke FAILED: .*; 4 scenario\(s\) failed/);
    // A 4xx is an answer, not a failure.
    brokenStatus = 404;
    expect((await runSmoke([read("GET /broken", "/broken")], { base, durationMs: 0, users: 1, logins })).ok).toBe(true);
  });

  it("keeps going for the duration and reports p50 and p99", async () => {
    const report = await runSmoke([read("GET /health", "/health")], { base, durationMs: 300, users: 2, logins });
    const health = report.scenarios.find((s) => s.name === "GET /health")!;
    expect(health.requests).toBeGreaterThan(2);
    expect(quantile([1, 2, 3, 4, 100], 0.5)).toBe(3);
    expect(quantile([1, 2, 3, 4, 100], 0.99)).toBe(100);
  });
});
