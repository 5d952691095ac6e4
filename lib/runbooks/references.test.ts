import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DESTINATIONS } from "@/lib/alerts";
import { clientSchema, serverSchema } from "@/lib/env/schema";
import { procedureRegistry } from "@/lib/procedures";
import { commands } from "@/scripts/ops/registry";
import { loadRunbooks, type Runbook } from "./loader";

/**
 * Runbooks and support macros name only what exists: every route is served
 * by a page or route handler under app/, every `npm run ops` command is one
 * the ops CLI has, and every environment variable is declared in
 * lib/env/schema.ts. An operator following a runbook mid-incident must not
 * find out there that a path or command is made up.
 */
// Every procedure in the app, so a feature claim is checked against what is really there.
import.meta.glob(["/lib/**/actions.ts", "/lib/**/actions/*.ts", "/lib/**/queries.ts", "!**/*.test.ts"], { eager: true });

/** Procedures a person (not only a job or the CLI) may run. */
function staffProcedures(pattern: RegExp): string[] {
  return [...procedureRegistry].filter(([name, p]) => pattern.test(name) && p.definition.permission !== "system").map(([name]) => name);
}

/**
 * Sentences that promise a feature, and what in the code makes each true.
 * A macro that says "I have refunded" needs a refund a person can make.
 */
const FEATURE_CLAIMS: { says: RegExp; needs: string; exists: () => boolean }[] = [
  { says: /\bI (have|will|can) refund|\brefund (it|the charge|the invoice) (on|from|in) (the )?(app|admin|Breakwater)/i, needs: "a refund a person can make (a non-system refund procedure)", exists: () => staffProcedures(/refund/).length > 0 },
  { says: /\bI have (restored|extended|granted|upgraded) (your|the) (plan|subscription)/i, needs: "a procedure for staff to change someone's plan", exists: () => staffProcedures(/^(admin|support)\..*(plan|subscription)/).length > 0 },
  { says: /forgot password|reset (link|your password)/i, needs: "password reset (auth.request_password_reset)", exists: () => procedureRegistry.has("auth.request_password_reset") },
  { says: /\b(pager|PagerDuty|paged)\b/i, needs: "paging through the alert router (lib/alerts)", exists: () => DESTINATIONS.includes("pagerduty") },
  { says: /\blink (any|the|an) incident/i, needs: "linking a report to an incident", exists: () => staffProcedures(/report.*incident|incident.*report/).length > 0 },
  { says: /\bexport my data\b/i, needs: "the self-service export (accounts.request_export)", exists: () => [...procedureRegistry.keys()].some((n) => /export/.test(n) && procedureRegistry.get(n)!.definition.permission !== "system") },
];

let runbooks: Runbook[];
beforeAll(async () => {
  runbooks = await loadRunbooks();
});

/** Every URL path app/ serves, as segment lists: route groups dropped, `[id]` a wildcard, `[...x]` the rest. */
function appRoutes(dir = path.join(process.cwd(), "app"), segments: string[] = []): string[][] {
  const routes: string[][] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (entry.name.startsWith("_") || entry.name.startsWith("@")) continue;
      const group = /^\(.*\)$/.test(entry.name);
      routes.push(...appRoutes(path.join(dir, entry.name), group ? segments : [...segments, entry.name]));
    } else if (/^(page|route)\.tsx?$/.test(entry.name)) routes.push(segments);
  }
  return routes;
}

const isDynamic = (segment: string) => /^\[.+\]$/.test(segment) || /^<.+>$/.test(segment) || /^\{.+\}$/.test(segment);

function routeExists(routes: string[][], url: string): boolean {
  const parts = url.split("/").filter(Boolean);
  return routes.some((route) => {
    for (const [i, segment] of route.entries()) {
      if (segment.startsWith("[...") || segment.startsWith("[[...")) return parts.length > i || segment.startsWith("[[");
      const part = parts[i];
      if (part === undefined || !(isDynamic(segment) || isDynamic(part) || segment === part)) return false;
    }
    return parts.length === route.length;
  });
}

/** Paths a runbook names under a top-level folder the app serves (`/admin/...`, `/api/...`, `/account/...`, `/status`). */
function pathsIn(body: string, topLevel: Set<string>): string[] {
  const found: string[] = [];
  for (const m of body.matchAll(/(?<![\w.~/-])\/([a-z][a-z0-9-]*)((?:\/(?:[\w-]+|\[[\w.]+\]|<[\w-]+>|\{[\w-]+\}))*)/g)) {
    if (topLevel.has(m[1]!)) found.push(`/${m[1]}${m[2]}`);
  }
  return found;
}

/** `npm run ops -- <group> [verb]` (or without the `--`), as written in a runbook. */
function opsCommandsIn(body: string): { group: string; verb: string | null; text: string }[] {
  return [...body.matchAll(/npm run ops(?: --)? ([a-z][\w-]*)(?: ([a-z][\w-]*))?/g)].map((m) => ({ group: m[1]!, verb: m[2] ?? null, text: m[0] }));
}

/**
 * UPPER_SNAKE names that read as configuration. A code constant a runbook
 * points at in its file (`RETENTION_POLICIES` in lib/accounts/policy.ts) is
 * checked against that file instead.
 */
function envNamesIn(body: string): { name: string; file: string | null }[] {
  return [...body.matchAll(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9])\b`?(?: in ([\w./-]+\.tsx?))?/g)].map((m) => ({ name: m[1]!, file: m[2] ?? null }));
}

describe("runbooks and macros name only what exists", () => {
  it("every route a runbook names is served by app/", () => {
    const routes = appRoutes();
    const topLevel = new Set(routes.map((r) => r[0]).filter((s): s is string => !!s && !isDynamic(s)));
    const missing: string[] = [];
    for (const r of runbooks) for (const url of pathsIn(r.body, topLevel)) if (!routeExists(routes, url)) missing.push(`${r.file}: ${url}`);
    expect(missing).toEqual([]);
  });

  it("every `npm run ops` command a runbook names is one the ops CLI has", () => {
    const missing: string[] = [];
    for (const r of runbooks) {
      for (const c of opsCommandsIn(r.body)) {
        const command = commands[c.group];
        if (!command) missing.push(`${r.file}: ${c.text} (no command group "${c.group}")`);
        else if (command.verbs && c.verb !== null && !command.verbs.includes(c.verb)) missing.push(`${r.file}: ${c.text} ("${c.group}" has ${command.verbs.join(", ")})`);
        else if (command.verbs && c.verb === null) missing.push(`${r.file}: ${c.text} ("${c.group}" needs one of ${command.verbs.join(", ")})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("every environment variable a runbook names is declared in lib/env/schema.ts", () => {
    const declared = new Set([...Object.keys(serverSchema.shape), ...Object.keys(clientSchema.shape)]);
    const missing: string[] = [];
    for (const r of runbooks) {
      for (const { name, file } of envNamesIn(r.body)) {
        if (declared.has(name)) continue;
        const inFile = file && fs.existsSync(path.join(process.cwd(), file)) && new RegExp(`\\b(const|function|type) ${name}\\b`).test(fs.readFileSync(path.join(process.cwd(), file), "utf8"));
        if (!inFile) missing.push(`${r.file}: ${name}${file ? ` (not declared in ${file} either)` : ""}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("every feature a runbook or macro promises exists in the code", () => {
    const untrue: string[] = [];
    for (const r of runbooks) for (const claim of FEATURE_CLAIMS) if (claim.says.test(r.body) && !claim.exists()) untrue.push(`${r.file}: ${claim.says.exec(r.body)![0]} needs ${claim.needs}`);
    expect(untrue).toEqual([]);
  });

  it("the route matcher treats dynamic segments as any value and nothing else", () => {
    const routes = [["admin", "users", "[id]"], ["api", "auth", "[...nextauth]"], ["status"]];
    expect(routeExists(routes, "/admin/users/[id]")).toBe(true);
    expect(routeExists(routes, "/admin/users/u_123")).toBe(true);
    expect(routeExists(routes, "/admin/users")).toBe(false);
    expect(routeExists(routes, "/api/auth/signin/github")).toBe(true);
    expect(routeExists(routes, "/status")).toBe(true);
    expect(routeExists(routes, "/admin/refunds")).toBe(false);
  });
});
