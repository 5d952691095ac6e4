import type { AppRoute } from "./routes";

/**
 * What the post-deploy smoke suite asks of a deployment, built from the app's
 * own routes (./routes.ts): every page and every GET route handler, as a
 * signed-out visitor and as each role; the health, readiness and status
 * endpoints must answer 200; one harmless write per viewer (a problem report
 * marked as the smoke check's). A route the plan cannot reach — a dynamic
 * segment with no way to fill it, a handler with no GET and no scenario —
 * fails `buildPlan` (and so its unit test) instead of going unchecked.
 */
export const ROLES = ["user", "support", "admin"] as const;
export type Role = (typeof ROLES)[number];
export type Viewer = "visitor" | Role;
export const VIEWERS: readonly Viewer[] = ["visitor", ...ROLES];

/** How to fill a dynamic route's segments: a fixed path, or the first matching link on a list page as one role sees it. */
export type Resolver = { fixed: string } | { list: string; as: Role; link: RegExp };

export type Scenario = {
  /** The route it checks, as in app/ (`GET /admin/users/[id]`), or what it does. */
  name: string;
  /** Every page and route it came from, for the coverage check. */
  covers: string[];
  method: "GET" | "POST";
  viewers: readonly Viewer[];
  /** "read" runs on every pass for the whole duration; "write" once per viewer per run. */
  kind: "read" | "write";
  path: string | { resolve: Resolver };
  body?: unknown;
  /** Statuses that count as passing besides "below 500"; a scenario can ask for exactly one (200 from readiness). */
  expectStatus?: number[];
};

/** Pages and handlers with a dynamic segment, and where a real value comes from. */
export const RESOLVERS: Record<string, Resolver> = {
  "/projects/[id]": { list: "/projects", as: "user", link: /^\/projects\/[0-9a-f-]{36}$/ },
  "/admin/users/[id]": { list: "/admin/users", as: "admin", link: /^\/admin\/users\/[0-9a-f-]{36}$/ },
  "/admin/reports/[id]": { list: "/admin/reports", as: "admin", link: /^\/admin\/reports\/[0-9a-f-]{36}$/ },
  "/admin/runbooks/[slug]": { list: "/admin/runbooks", as: "admin", link: /^\/admin\/runbooks\/[a-z0-9-]+$/ },
  "/admin/flags/[key]": { list: "/admin/flags", as: "admin", link: /^\/admin\/flags\/(?!new$|state$|kill-switches$)[a-z0-9_.-]+$/ },
  // Auth.js's own endpoints: what the browser reads besides the sign-in exchange (checked separately).
  "/api/auth/[...nextauth]": { fixed: "/api/auth/session" },
  // Without the cron secret: the job must be refused, never run.
  "/api/cron/[job]": { fixed: "/api/cron/uptime_check" },
  // A token that was never issued: the download must be refused.
  "/api/export/[format]/[token]": { fixed: "/api/export/json/smoke-check-not-a-token" },
};

/** Endpoints a deploy is not healthy without: exactly 200, as every viewer. */
export const MUST_ANSWER_200 = ["/api/health", "/api/health/ready", "/status", "/api/status"];

/** Routes the suite deliberately leaves alone, and why. */
export const EXCLUDED: Record<string, string> = {
  "/debug/crash": "a deliberate server error outside production (a 404 in production); the e2e suite checks the error page with it",
  "/api/webhooks/stripe": "only Stripe can sign a call; an unsigned one exercises nothing but the refusal, and a stream of them looks like an attack",
};

export const SMOKE_REPORT_TEXT = "Automated post-deploy smoke check (npm run smoke): no action needed.";

/** The safe writes: a problem report per viewer, as the report button sends it (JSON, from the app's own origin). */
const WRITES: Scenario[] = [
  {
    name: "POST /api/reports (problem report)",
    covers: ["POST /api/reports"],
    method: "POST",
    viewers: VIEWERS,
    kind: "write",
    path: "/api/reports",
    body: { description: SMOKE_REPORT_TEXT, email: "smoke-check@breakwater.test", context: { source: "smoke" } },
    expectStatus: [200, 201],
  },
  {
    // Refused before it reads anything (no session); it proves the mutating route answers, and cannot flip a switch.
    name: "POST /admin/flags/kill-switches (signed out: refused)",
    covers: ["POST /admin/flags/kill-switches"],
    method: "POST",
    viewers: ["visitor"],
    kind: "write",
    path: "/admin/flags/kill-switches",
    body: {},
    expectStatus: [400, 401, 403],
  },
];

export class UncoveredRoutes extends Error {
  constructor(readonly problems: string[]) {
    super(`The smoke plan does not cover every route (scripts/lib/smoke/plan.ts):\n  ${problems.join("\n  ")}`);
  }
}

/** The scenarios for these routes; throws naming every route it cannot cover. */
export function buildPlan(routes: readonly AppRoute[]): Scenario[] {
  const scenarios: Scenario[] = [];
  const problems: string[] = [];
  const written = new Set(WRITES.flatMap((w) => w.covers));
  for (const route of routes) {
    if (EXCLUDED[route.pattern]) continue;
    for (const method of route.methods) {
      if (method === "GET") continue;
      if (!written.has(`${method} ${route.pattern}`)) problems.push(`${method} ${route.pattern} (${route.file}): no scenario sends it; add one to WRITES or a reason to EXCLUDED`);
    }
    if (!route.methods.includes("GET")) continue;
    let path: Scenario["path"] = route.pattern;
    if (route.params.length > 0) {
      const resolver = RESOLVERS[route.pattern];
      if (!resolver) {
        problems.push(`GET ${route.pattern} (${route.file}): no way to fill ${route.params.map((p) => `[${p}]`).join(", ")}; add it to RESOLVERS`);
        continue;
      }
      path = { resolve: resolver };
    }
    const must200 = MUST_ANSWER_200.includes(route.pattern);
    scenarios.push({
      name: `GET ${route.pattern}`,
      covers: [`GET ${route.pattern}`],
      method: "GET",
      viewers: VIEWERS,
      kind: "read",
      path,
      ...(must200 ? { expectStatus: [200] } : {}),
    });
  }
  for (const pattern of MUST_ANSWER_200) {
    if (!routes.some((r) => r.pattern === pattern)) problems.push(`${pattern}: must answer 200 but no such route in app/`);
  }
  if (problems.length > 0) throw new UncoveredRoutes(problems);
  // A write whose route is no longer in app/ is left out with it.
  const served = new Set(routeKeys(routes));
  return [...WRITES.filter((w) => w.covers.every((key) => served.has(key))), ...scenarios];
}

/** Every `METHOD /pattern` the app serves, to compare with what a plan covers. */
export function routeKeys(routes: readonly AppRoute[]): string[] {
  return routes.flatMap((r) => r.methods.map((m) => `${m} ${r.pattern}`));
}
