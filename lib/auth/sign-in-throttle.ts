import "server-only";
import { createHmac, timingSafeEqual } from "node:crypto";
import { eq, lt, sql } from "drizzle-orm";
import { getDb } from "@/lib/database";
import { signInFailures } from "@/db/schema";
import { env } from "@/lib/env";

/**
 * Progressive delay for failed sign-ins, instead of a lockout. Failures are
 * counted per key; past a free allowance each one doubles the wait before
 * the next attempt on that key, up to a cap, and a quiet spell forgets them.
 * Nobody is locked out for good, and the account's owner signing in from a
 * browser they have used before (which carries a known-device cookie for
 * the account) is counted apart from everyone else guessing at it.
 */
type Rule = { free: number; baseSeconds: number; maxSeconds: number; forgetAfterSeconds: number };

export const SIGN_IN_RULES = {
  /** One account, from browsers that never signed in to it. */
  account: { free: 5, baseSeconds: 2, maxSeconds: 15 * 60, forgetAfterSeconds: 24 * 60 * 60 },
  /** The same account from its owner's known browser: room for typos, a short cap. */
  knownDevice: { free: 10, baseSeconds: 1, maxSeconds: 60, forgetAfterSeconds: 60 * 60 },
  /** One client address, whatever the account (password spraying). */
  address: { free: 20, baseSeconds: 2, maxSeconds: 15 * 60, forgetAfterSeconds: 24 * 60 * 60 },
  /** Every failure everywhere (a spray from many addresses); known browsers are exempt. */
  everyone: { free: 500, baseSeconds: 1, maxSeconds: 60, forgetAfterSeconds: 10 * 60 },
} as const satisfies Record<string, Rule>;

type Scope = keyof typeof SIGN_IN_RULES;

/** Keys are keyed hashes: the table holds no email or address in the clear. */
function keyFor(scope: Scope, value: string): string {
  return `${scope}:${createHmac("sha256", env.authSecret).update(`sign-in:${scope}:${value}`).digest("base64url").slice(0, 32)}`;
}

export type Attempt = { email: string; address: string | null; knownDevice: boolean };

function keysOf(attempt: Attempt): [Scope, string][] {
  const keys: [Scope, string][] = [attempt.knownDevice ? ["knownDevice", keyFor("knownDevice", attempt.email)] : ["account", keyFor("account", attempt.email)]];
  if (attempt.address) keys.push(["address", keyFor("address", attempt.address)]);
  if (!attempt.knownDevice) keys.push(["everyone", "everyone"]);
  return keys;
}

function waitSeconds(rule: Rule, row: { failures: number; lastFailureAt: Date } | undefined, now: number): number {
  if (!row) return 0;
  const since = (now - row.lastFailureAt.getTime()) / 1000;
  if (since >= rule.forgetAfterSeconds || row.failures < rule.free) return 0;
  const delay = Math.min(rule.maxSeconds, rule.baseSeconds * 2 ** (row.failures - rule.free));
  return Math.max(0, Math.ceil(delay - since));
}

/** How long this attempt must wait, and which key says so; null when it may go ahead. */
export async function signInWait(attempt: Attempt, now = Date.now()): Promise<{ scope: Scope; retryAfterSeconds: number } | null> {
  const db = await getDb();
  let longest: { scope: Scope; retryAfterSeconds: number } | null = null;
  for (const [scope, key] of keysOf(attempt)) {
    const [row] = await db.select().from(signInFailures).where(eq(signInFailures.key, key));
    const wait = waitSeconds(SIGN_IN_RULES[scope], row, now);
    if (wait > 0 && (!longest || wait > longest.retryAfterSeconds)) longest = { scope, retryAfterSeconds: wait };
  }
  return longest;
}

export async function recordSignInFailure(attempt: Attempt, now = new Date()): Promise<void> {
  const db = await getDb();
  for (const [scope, key] of keysOf(attempt)) {
    const stale = sql`${new Date(now.getTime() - SIGN_IN_RULES[scope].forgetAfterSeconds * 1000).toISOString()}::timestamptz`;
    const at = sql`${now.toISOString()}::timestamptz`;
    await db
      .insert(signInFailures)
      .values({ key, failures: 1, firstFailureAt: now, lastFailureAt: now })
      .onConflictDoUpdate({
        target: signInFailures.key,
        set: {
          failures: sql`case when ${signInFailures.lastFailureAt} < ${stale} then 1 else ${signInFailures.failures} + 1 end`,
          firstFailureAt: sql`case when ${signInFailures.lastFailureAt} < ${stale} then ${at} else ${signInFailures.firstFailureAt} end`,
          lastFailureAt: now,
        },
      });
  }
  // Forgotten rows are dead weight; sweep some now and then instead of needing a job.
  if (Math.random() < 0.02) await db.delete(signInFailures).where(lt(signInFailures.lastFailureAt, new Date(now.getTime() - 24 * 60 * 60 * 1000)));
}

/** A successful sign-in clears its account's count (not the address's: one good password must not launder a spray). */
export async function clearAccountFailures(attempt: Attempt): Promise<void> {
  const db = await getDb();
  await db.delete(signInFailures).where(eq(signInFailures.key, keyFor(attempt.knownDevice ? "knownDevice" : "account", attempt.email)));
}

/** The cookie a browser gets once it has signed in to an account: a keyed tag of the account id, nothing readable. */
export const KNOWN_DEVICE_COOKIE = "bw_known_device";

export function knownDeviceTag(userId: string): string {
  return createHmac("sha256", env.authSecret).update(`known-device:${userId}`).digest("base64url").slice(0, 32);
}

export function isKnownDevice(cookie: string | null | undefined, userId: string): boolean {
  if (!cookie) return false;
  const expected = Buffer.from(knownDeviceTag(userId));
  const given = Buffer.from(cookie);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
