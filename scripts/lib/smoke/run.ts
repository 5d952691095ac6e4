import { randomBytes } from "node:crypto";
import type { Role, Scenario, Viewer } from "./plan";

/**
 * Runs a smoke plan against a deployment over plain HTTP, as browsers would:
 * each role signs in through Auth.js's credentials endpoint (CSRF token, then
 * the form POST), the writes go once per viewer, then `users` virtual users
 * (1–2) walk the reads until every one has run at least once and `durationMs`
 * has passed. A scenario fails on any answer of 500 or above, on no answer
 * within `timeoutMs`, on a status it does not allow, or when a signed-in
 * request is sent back to the sign-in page (the session did not hold).
 */
export type Login = { email: string; password: string };
export type SmokeOptions = {
  base: string;
  durationMs: number;
  users: number;
  logins: Record<Role, Login>;
  timeoutMs?: number;
  /** A documentation-range address the signed-out write claims, so it draws on a budget of its own where the proxy is trusted. */
  visitorAddress?: string;
  /** Sent with every request (a protected preview's bypass header, say). */
  headers?: Record<string, string>;
};

export type ScenarioResult = {
  name: string;
  requests: number;
  /** Requests per status code ("0" when nothing answered in time). */
  statuses: Record<string, number>;
  p50: number | null;
  p99: number | null;
  failures: string[];
  /** Why a scenario did not run at all (nothing to open, say); not a failure. */
  skipped: string | null;
};

export type SmokeReport = { base: string; elapsedMs: number; users: number; ok: boolean; scenarios: ScenarioResult[] };

type Answer = { status: number; location: string | null; body: string; ms: number; setCookies: string[] };

export const quantile = (sorted: number[], q: number): number | null => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);

class Recorder {
  readonly timings: number[] = [];
  readonly statuses: Record<string, number> = {};
  readonly failures: string[] = [];
  skipped: string | null = null;
  constructor(readonly name: string) {}
  add(answer: Answer, problem: string | null) {
    this.timings.push(answer.ms);
    this.statuses[String(answer.status)] = (this.statuses[String(answer.status)] ?? 0) + 1;
    // One line per distinct problem: a page that fails on every pass says so once, with a count in the statuses.
    if (problem && !this.failures.includes(problem)) this.failures.push(problem);
  }
  result(): ScenarioResult {
    const sorted = [...this.timings].sort((a, b) => a - b);
    return { name: this.name, requests: sorted.length, statuses: this.statuses, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), failures: this.failures, skipped: this.skipped };
  }
}

type Target = { base: string; headers: Record<string, string>; timeoutMs: number };

async function send(target: Target, path: string, init: { method?: string; cookie?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const { base, timeoutMs } = target;
  const started = performance.now();
  try {
    const response = await fetch(new URL(path, base), {
      method: init.method ?? "GET",
      redirect: "manual",
      headers: {
        "user-agent": "breakwater-smoke",
        // The id shows in the deployment's logs next to every line this request caused.
        "x-request-id": `smoke-${randomBytes(6).toString("hex")}`,
        ...target.headers,
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...init.headers,
      },
      body: init.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    // The whole body: a streamed page has not finished rendering until its last byte.
    const body = await response.text();
    return { status: response.status, location: response.headers.get("location"), body, ms: Math.round(performance.now() - started), setCookies: response.headers.getSetCookie() };
  } catch {
    return { status: 0, location: null, body: "", ms: Math.round(performance.now() - started), setCookies: [] };
  }
}

function judge(answer: Answer, viewer: Viewer, path: string, expectStatus: number[] | undefined): string | null {
  const who = `${path} as ${viewer}`;
  if (answer.status === 0) return `${who}: no answer`;
  if (answer.status >= 500) return `${who}: ${answer.status}`;
  if (expectStatus && !expectStatus.includes(answer.status)) return `${who}: ${answer.status}, expected ${expectStatus.join(" or ")}`;
  if (viewer !== "visitor" && answer.location && new URL(answer.location, "http://x").pathname === "/sign-in") return `${who}: sent to /sign-in (the session did not hold)`;
  return null;
}

/** Signs in with the credentials provider the way the sign-in form does; returns the Cookie header, or why not. */
export async function signIn(target: Target, login: Login): Promise<{ cookie: string; answer: Answer } | { problem: string; answer: Answer }> {
  const jar = new Map<string, string>();
  const keep = (cookies: string[]) => {
    for (const cookie of cookies) {
      const [pair] = cookie.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const { base } = target;
  const csrf = await send(target, "/api/auth/csrf");
  if (csrf.status !== 200) return { problem: `/api/auth/csrf answered ${csrf.status}`, answer: csrf };
  keep(csrf.setCookies);
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const posted = await send(target, "/api/auth/callback/credentials", {
      method: "POST",
      cookie: header(),
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(base).origin },
    body: new URLSearchParams({ email: login.email, password: login.password, csrfToken, callbackUrl: new URL("/projects", base).toString() }).toString(),
  });
  keep(posted.setCookies);
  if (posted.status >= 500) return { problem: `sign-in answered ${posted.status}`, answer: posted };
  if (![...jar.keys()].some((k) => k.includes("session-token"))) return { problem: `sign-in refused for ${login.email} (${posted.status}${posted.location ? ` → ${posted.location}` : ""})`, answer: posted };
  return { cookie: header(), answer: posted };
}

/** The first link on `list` (as `cookie` sees it) that matches `link`, or null. */
async function firstLink(target: Target, list: string, link: RegExp, cookie: string | undefined): Promise<string | null> {
  const page = await send(target, list, { cookie, headers: { accept: "text/html" } });
  for (const match of page.body.matchAll(/href="([^"]+)"/g)) {
    const href = match[1]!.replace(/&amp;/g, "&");
    if (link.test(href)) return href;
  }
  return null;
}

export async function runSmoke(plan: readonly Scenario[], options: SmokeOptions): Promise<SmokeReport> {
  const target: Target = { base: options.base, headers: options.headers ?? {}, timeoutMs: options.timeoutMs ?? 30_000 };
  const started = Date.now();
  const origin = new URL(options.base).origin;
  const recorders = new Map<string, Recorder>();
  const recorder = (name: string) => recorders.get(name) ?? recorders.set(name, new Recorder(name)).get(name)!;

  // 1. A session per role.
  const cookies: Partial<Record<Viewer, string>> = {};
  for (const role of Object.keys(options.logins) as Role[]) {
    const signedIn = await signIn(target, options.logins[role]);
    const rec = recorder(`sign in as ${role} (credentials)`);
    if ("cookie" in signedIn) {
      cookies[role] = signedIn.cookie;
      rec.add(signedIn.answer, null);
    } else rec.add(signedIn.answer, signedIn.problem);
  }
  const canAct = (viewer: Viewer) => viewer === "visitor" || Boolean(cookies[viewer]);

  // 2. The writes, once per viewer (before the reads, so a report exists for /admin/reports/[id] to open).
  for (const scenario of plan.filter((s) => s.kind === "write")) {
    const rec = recorder(scenario.name);
    for (const viewer of scenario.viewers.filter(canAct)) {
      const path = scenario.path as string;
      const answer = await send(target, path, {
        method: scenario.method,
        cookie: cookies[viewer],
        headers: { "content-type": "application/json", origin, ...(viewer === "visitor" && options.visitorAddress ? { "x-forwarded-for": options.visitorAddress } : {}) },
        body: JSON.stringify(scenario.body ?? {}),
      });
      rec.add(answer, judge(answer, viewer, path, scenario.expectStatus));
    }
  }

  // 3. Fill the dynamic segments, then walk the reads.
  type Task = { scenario: Scenario; viewer: Viewer; path: string };
  const tasks: Task[] = [];
  for (const scenario of plan.filter((s) => s.kind === "read")) {
    let path: string;
    if (typeof scenario.path === "string") path = scenario.path;
    else if ("fixed" in scenario.path.resolve) path = scenario.path.resolve.fixed;
    else {
      const { list, as, link } = scenario.path.resolve;
      const found = cookies[as] ? await firstLink(target, list, link, cookies[as]) : null;
      if (!found) {
        recorder(scenario.name).skipped = cookies[as] ? `nothing to open on ${list} as ${as}` : `${as} is not signed in`;
        continue;
      }
      path = found;
    }
    for (const viewer of scenario.viewers.filter(canAct)) tasks.push({ scenario, viewer, path });
  }
  const deadline = Date.now() + options.durationMs;
  let next = 0;
  const virtualUser = async () => {
    // Every task at least once, then round again until the time is up.
    while (next < tasks.length || Date.now() < deadline) {
      const task = tasks[next++ % tasks.length];
      if (!task) return;
      const answer = await send(target, task.path, { cookie: cookies[task.viewer], headers: { accept: "text/html,application/json" } });
      recorder(task.scenario.name).add(answer, judge(answer, task.viewer, task.path, task.scenario.expectStatus));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.users) }, virtualUser));

  const scenarios = [...recorders.values()].map((r) => r.result());
  return { base: options.base, elapsedMs: Date.now() - started, users: options.users, ok: scenarios.every((s) => s.failures.length === 0), scenarios };
}

/** The report as a table a person reads in a deploy log. */
export function formatReport(report: SmokeReport): string {
  const rows = report.scenarios.map((s) => [
    s.skipped ? "skip" : s.failures.length ? "FAIL" : "ok",
    s.name,
    String(s.requests),
    Object.entries(s.statuses)
      .sort()
      .map(([code, n]) => `${code}×${n}`)
      .join(" "),
    s.p50 === null ? "-" : String(s.p50),
    s.p99 === null ? "-" : String(s.p99),
  ]);
  const head = ["", "scenario", "requests", "statuses", "p50 ms", "p99 ms"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 4 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join("  ").trimEnd();
  const out = [line(head), ...rows.map(line)];
  const failed = report.scenarios.filter((s) => s.failures.length > 0);
  for (const s of failed) for (const f of s.failures) out.push(`FAIL ${s.name}: ${f}`);
  for (const s of report.scenarios.filter((x) => x.skipped)) out.push(`skipped ${s.name}: ${s.skipped}`);
  const total = report.scenarios.reduce((n, s) => n + s.requests, 0);
  out.push(
    `${report.ok ? "Smoke passed" : "Smoke FAILED"}: ${report.scenarios.length} scenarios, ${total} requests, ${report.users} concurrent user(s), ${(report.elapsedMs / 1000).toFixed(1)} s against ${report.base}` +
      (failed.length ? `; ${failed.length} scenario(s) failed` : ""),
  );
  return out.join("\n");
}
