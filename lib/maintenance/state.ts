import "server-only";
import { eq } from "drizzle-orm";
import { systemState } from "@/db/schema";
import { getDb, type Executor } from "@/lib/database";
import { logger } from "@/lib/observability";

/**
 * Read-only maintenance: one app-wide switch an operator turns on (admin
 * overview or `npm run ops -- maintenance on`) while the data must not
 * change, a database restore above all. While it is on, guarded writes are
 * refused (./link.ts), jobs skip, and every page and the status page say so.
 */
export type Maintenance = { active: false } | { active: true; reason: string; since: string; by: string };

const KEY = "maintenance";
/** Every instance re-reads the switch at most this often, so turning it on reaches them all within about a second. */
const MAX_AGE_MS = 1_000;

type Held = { value: Maintenance; readAt: number };
type CacheState = { held: Held | null; inflight: Promise<Maintenance> | null };
const globalForMaintenance = globalThis as unknown as { breakwaterMaintenance?: CacheState };
const cache: CacheState = (globalForMaintenance.breakwaterMaintenance ??= { held: null, inflight: null });

const OFF: Maintenance = { active: false };

/** The stored switch, read now. */
export async function readMaintenance(db: Executor): Promise<Maintenance> {
  const [row] = await db.select().from(systemState).where(eq(systemState.key, KEY));
  if (!row?.active) return OFF;
  return { active: true, reason: row.reason, since: (row.since ?? row.updatedAt).toISOString(), by: row.updatedBy };
}

/**
 * The switch as this instance serves it: re-read when over a second old (one
 * query per instance however many requests ask). When the database cannot be
 * read the last known state stands (off if none): a write refused for being
 * in maintenance must be because someone turned it on, and a write attempted
 * against an unreachable database fails on its own as `dependency_down`.
 */
export async function currentMaintenance(): Promise<Maintenance> {
  const held = cache.held;
  if (held && Date.now() - held.readAt < MAX_AGE_MS) return held.value;
  cache.inflight ??= getDb()
    .then(readMaintenance)
    .then((value) => {
      cache.held = { value, readAt: Date.now() };
      return value;
    })
    .catch((error: unknown) => {
      logger.warn({ err: error }, "maintenance state unreadable: serving the last known state");
      return cache.held?.value ?? OFF;
    })
    .finally(() => {
      cache.inflight = null;
    });
  return cache.inflight;
}

/**
 * Without waiting for I/O: the state last read here (liveness answers from it
 * and must not wait on the database). When that is over a second old, a
 * re-read starts in the background for the next caller.
 */
export function lastKnownMaintenance(): Maintenance {
  const held = cache.held;
  if (!held || Date.now() - held.readAt >= MAX_AGE_MS) void currentMaintenance();
  return held?.value ?? OFF;
}

/** The instance that flipped the switch serves the new state from the next request on. */
export function forgetMaintenance(): void {
  cache.held = null;
}

/** Turns the switch on or off inside the caller's transaction; returns what it was before. */
export async function writeMaintenance(tx: Executor, change: { active: boolean; reason: string; by: string }): Promise<{ before: Maintenance; after: Maintenance }> {
  const before = await readMaintenance(tx);
  const now = new Date();
  const since = change.active ? (before.active ? new Date(before.since) : now) : null;
  const values = { active: change.active, reason: change.reason, since, updatedBy: change.by, updatedAt: now };
  await tx.insert(systemState).values({ key: KEY, ...values }).onConflictDoUpdate({ target: systemState.key, set: values });
  const after: Maintenance = change.active ? { active: true, reason: change.reason, since: since!.toISOString(), by: change.by } : OFF;
  return { before, after };
}
