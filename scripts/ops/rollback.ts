import { getDb } from "@/lib/database";
import { env } from "@/lib/env";
import { currentEnvironment, ENVIRONMENTS, findFlagState, lastDeploy, liveInstanceVersions, releaseFlagsChangedSince, type Environment } from "@/lib/flags";
import { rollbackFlagAction } from "@/lib/flags/actions";
import { systemContext } from "@/lib/safety";
import type { OpsCommand } from "./command";
import { option } from "./options";
import { promotePreviousDeployment } from "./vercel";

const USAGE = `Usage:
  npm run ops -- rollback [--since <time>] [--reason "why"] [--env production] [--instance URL]... [--wait 10] [--dry-run]
  npm run ops -- rollback --deploy [--to <deployment id>]
--since: an ISO time or an age like 30m, 2h, 1d; without it, since the last deploy started.
--instance: an app URL whose /api/health/ready must report the new flag config version (repeatable; default APP_URL on Postgres).
--wait: how many seconds the instances get to catch up (default 10).
--deploy: promote the previous production deployment on Vercel (needs VERCEL_TOKEN and VERCEL_PROJECT_ID).`;

const DEFAULT_VERIFY_WAIT_SECONDS = 10;
/** Instances that reported within this window count as serving. */
const LIVE_WITHIN_MS = 5 * 60_000;

/** "2026-12-02T04:00Z", or an age: "45m", "2h", "1d". */
export function parseSince(text: string, now = Date.now()): Date | null {
  const age = /^(\d+)(m|h|d)$/.exec(text.trim());
  if (age) return new Date(now - Number(age[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[age[2] as "m" | "h" | "d"]);
  const t = Date.parse(text);
  return Number.isNaN(t) ? null : new Date(t);
}

function allOptions(args: string[], name: string): string[] {
  return args.flatMap((a, i) => (a === `--${name}` && args[i + 1] ? [args[i + 1]!] : a.startsWith(`--${name}=`) ? [a.slice(name.length + 3)] : []));
}

/** The flag config version an instance's readiness probe reports ("snapshot v42, 0 s old"), or null. */
async function readinessVersion(base: string): Promise<number | null> {
  try {
    const response = await fetch(new URL("/api/health/ready", base), { signal: AbortSignal.timeout(3_000), headers: { "Cache-Control": "no-store" } });
    const body = (await response.json()) as { checks?: { name: string; detail?: string }[] };
    const detail = body.checks?.find((c) => c.name === "flags")?.detail ?? "";
    const match = /snapshot v(\d+)/.exec(detail);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/** Polls each instance until it serves at least `version`; returns those that never did. */
async function instancesBehind(urls: string[], version: number, waitMs: number): Promise<{ url: string; seen: number | null }[]> {
  const deadline = Date.now() + waitMs;
  let behind = urls.map((url) => ({ url, seen: null as number | null }));
  while (behind.length > 0) {
    const seen = await Promise.all(behind.map(async (b) => ({ url: b.url, seen: await readinessVersion(b.url) })));
    behind = seen.filter((s) => s.seen === null || s.seen < version);
    if (behind.length === 0 || Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  return behind;
}

async function rollbackDeploy(args: string[]): Promise<number> {
  if (!env.VERCEL_TOKEN || !env.VERCEL_PROJECT_ID) {
    console.error("--deploy needs VERCEL_TOKEN and VERCEL_PROJECT_ID (and VERCEL_TEAM_ID for a team project). Or promote the previous deployment in Vercel's dashboard.");
    return 2;
  }
  const config = { token: env.VERCEL_TOKEN, projectId: env.VERCEL_PROJECT_ID, teamId: env.VERCEL_TEAM_ID, apiUrl: env.VERCEL_API_URL };
  const { from, to, status } = await promotePreviousDeployment(config, option(args, "to"));
  console.log(`deploy: promoted ${to.uid} (${to.url}, built ${new Date(to.created).toISOString()}) over ${from.uid} (${from.url}); Vercel answered ${status}`);
  return 0;
}

async function rollbackFlags(args: string[]): Promise<number> {
  const db = await getDb();
  const environmentArg = option(args, "env") ?? currentEnvironment();
  if (!(ENVIRONMENTS as readonly string[]).includes(environmentArg)) {
    console.error(`Unknown environment "${environmentArg}".\n${USAGE}`);
    return 2;
  }
  const environment = environmentArg as Environment;
  const sinceArg = option(args, "since");
  let since: Date | null;
  let sinceLabel: string;
  if (sinceArg) {
    since = parseSince(sinceArg);
    if (!since) {
      console.error(`Cannot read --since "${sinceArg}".\n${USAGE}`);
      return 2;
    }
    sinceLabel = since.toISOString();
  } else {
    const deploy = await lastDeploy(db);
    if (!deploy) {
      console.error(`No deploy has been recorded yet: pass --since.\n${USAGE}`);
      return 2;
    }
    since = deploy.startedAt;
    sinceLabel = `${since.toISOString()} (start of deploy ${deploy.version})`;
  }
  const reason = option(args, "reason") ?? `rollback of release flags changed since ${since.toISOString()}`;
  const changed = await releaseFlagsChangedSince(db, since, environment);
  const toTurnOff = changed.filter((c) => c.enabled);
  console.log(`rollback in ${environment}: release flags changed since ${sinceLabel}: ${changed.length}, on: ${toTurnOff.length}`);
  for (const c of changed.filter((x) => !x.enabled)) console.log(`  ${c.key.padEnd(28)} already off (changed ${c.updatedAt.toISOString()} by ${c.updatedBy})`);
  if (args.includes("--dry-run")) {
    for (const c of toTurnOff) console.log(`  ${c.key.padEnd(28)} would turn off (rollout ${c.rollout}%, changed ${c.updatedAt.toISOString()} by ${c.updatedBy})`);
    return 0;
  }
  let failed = 0;
  let version = 0;
  for (const c of toTurnOff) {
    const result = await rollbackFlagAction.run({ key: c.key, environment, reason }, systemContext("cli:ops"));
    if (!result.ok) {
      failed++;
      console.error(`  ${c.key.padEnd(28)} REFUSED (${result.code}): ${result.message}`);
      continue;
    }
    version = Math.max(version, result.data.version ?? 0);
    console.log(`  ${c.key.padEnd(28)} on → off (rollout ${c.rollout}% kept for when it is turned back on)`);
  }
  // Read back from the database: what an instance loads on its next request.
  for (const c of toTurnOff) {
    const state = await findFlagState(db, c.key, environment);
    if (state?.enabled !== false) {
      failed++;
      console.error(`  ${c.key.padEnd(28)} NOT OFF on read-back`);
    }
  }
  if (version > 0) {
    const urls = allOptions(args, "instance");
    // With Postgres the app may be serving while this runs; an embedded database means it is not.
    if (urls.length === 0 && env.APP_URL && env.DATABASE_URL) urls.push(env.APP_URL);
    const waitSeconds = Number(option(args, "wait") ?? DEFAULT_VERIFY_WAIT_SECONDS);
    const behind = await instancesBehind(urls, version, (Number.isFinite(waitSeconds) ? waitSeconds : DEFAULT_VERIFY_WAIT_SECONDS) * 1000);
    for (const b of behind) {
      failed++;
      console.error(`  instance ${b.url} still serves ${b.seen === null ? "an unknown version (unreachable?)" : `v${b.seen}`}, expected v${version} or newer`);
    }
    if (urls.length > behind.length) console.log(`verified: ${urls.length - behind.length} instance(s) serve flag config v${version} or newer`);
    for (const i of await liveInstanceVersions(db, LIVE_WITHIN_MS)) {
      if (i.version < version) console.log(`  note: instance ${i.instanceId} last served v${i.version} at ${i.seenAt.toISOString()}; it reloads on its next request`);
    }
  }
  console.log(failed === 0 ? `done: ${toTurnOff.length} release flag(s) off, verified by read-back` : `FAILED: ${failed} problem(s) above`);
  return failed === 0 ? 0 : 1;
}

// One command for a bad release: switch off what it turned on (seconds), then, if needed, revert the deploy (minutes).
export const rollbackCommand: OpsCommand = {
  summary: "turn off release flags changed since a time or the last deploy (cli:ops), verify; --deploy: promote the previous Vercel deployment",
  async run(args) {
    if (args.includes("--help")) {
      console.log(USAGE);
      return 0;
    }
    return args.includes("--deploy") ? rollbackDeploy(args) : rollbackFlags(args);
  },
};
