// Post-deploy smoke suite: `npm run smoke -- --base https://your.app [--duration 10] [--users 2] [--json report.json]`.
// Every page and GET route the app/ directory declares, as a visitor and as each role (signed in over HTTP),
// health, readiness and status, and one harmless write per viewer; reports p50/p99 per scenario and exits
// non-zero on any 5xx or failed scenario. It runs every scenario once, then keeps going until --duration
// has passed (so a run takes the longer of one full pass and the duration). Logins default to the demo seed's; for a real deployment set
// SMOKE_LOGIN_USER, SMOKE_LOGIN_SUPPORT and SMOKE_LOGIN_ADMIN to `email:password` of accounts kept for this.
// A Vercel deployment behind Deployment Protection: set VERCEL_AUTOMATION_BYPASS_SECRET (its protection bypass for automation).
import fs from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD, DEMO_PEOPLE } from "./lib/demo/people";
import { option } from "./ops/options";
import { buildPlan, ROLES, type Role } from "./lib/smoke/plan";
import { appRoutes } from "./lib/smoke/routes";
import { formatReport, runSmoke, type Login } from "./lib/smoke/run";

const args = process.argv.slice(2);
const base = option(args, "base");
const durationSeconds = Number(option(args, "duration") ?? 10);
const users = Number(option(args, "users") ?? 2);
const jsonOut = option(args, "json");

function usage(problem: string): never {
  console.error(`${problem}\nUsage: npm run smoke -- --base <url> [--duration <seconds, default 10>] [--users <1 or 2, default 2>] [--json <file>]`);
  process.exit(2);
}
if (!base || !/^https?:\/\//.test(base)) usage("--base must be the deployment's URL (http or https).");
if (!Number.isFinite(durationSeconds) || durationSeconds < 0 || durationSeconds > 600) usage("--duration is seconds, 0 to 600.");
if (users !== 1 && users !== 2) usage("--users is 1 or 2: a smoke check, not a load test.");

function loginFor(role: Role): Login {
  const configured = process.env[`SMOKE_LOGIN_${role.toUpperCase()}`];
  if (configured) {
    const at = configured.indexOf(":");
    if (at < 0) usage(`SMOKE_LOGIN_${role.toUpperCase()} must be email:password.`);
    return { email: configured.slice(0, at), password: configured.slice(at + 1) };
  }
  const demo = DEMO_PEOPLE.find((p) => p.key === role)!;
  return { email: demo.email, password: DEMO_PASSWORD };
}

const plan = buildPlan(appRoutes(path.join(process.cwd(), "app")));
const report = await runSmoke(plan, {
  base,
  durationMs: durationSeconds * 1000,
  users,
  logins: Object.fromEntries(ROLES.map((role) => [role, loginFor(role)])) as Record<Role, Login>,
  visitorAddress: "198.51.100.77",
  headers: process.env.VERCEL_AUTOMATION_BYPASS_SECRET ? { "x-vercel-protection-bypass": process.env.VERCEL_AUTOMATION_BYPASS_SECRET } : {},
});
console.log(formatReport(report));
if (jsonOut) fs.writeFileSync(jsonOut, `${JSON.stringify(report, null, 2)}\n`);
process.exitCode = report.ok ? 0 : 1;
