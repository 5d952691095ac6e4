import "server-only";
import { sql } from "drizzle-orm";
import { getDb } from "@/lib/database";
import { requestMinutes } from "@/db/schema";
import { logger } from "@/lib/observability";
import { SERVER_FAULTS, type ErrorCode } from "@/lib/safety";
import { IS_DEV_SERVER } from "./slo-report";
import { LATENCY_THRESHOLDS_MS } from "./slos";

/**
 * Request outcomes, aggregated per minute in this process and written as one
 * upsert per route group when the minute turns (on the next request after
 * it, or a second after the minute ends, whichever is first) and within a
 * few seconds of a failure. Recording a request is a few additions on a Map
 * and a comparison: no I/O, no allocation on the hot path after the first
 * request of a minute. Instances each flush their own counts; the upsert
 * adds them up.
 */
type Bucket = { total: number; errors: number; slow: number; sumMs: number; maxMs: number };

const DEFAULT_THRESHOLD_MS = 1_000;

/** Route handlers other than the key API routes (which are counted as "api"): their faults count, their latency has no SLO. */
export const ROUTES_OUTCOME = "routes";

type Accumulator = {
  minute: number;
  buckets: Map<string, Bucket>;
  pending: Map<string, Map<string, Bucket>>;
  flushing: Promise<void> | null;
  /** When the next flush is due (ms), and its timer. */
  flushAt: number | null;
  timer: ReturnType<typeof setTimeout> | null;
};

const globalForOutcomes = globalThis as unknown as { breakwaterOutcomes?: Accumulator };
const acc: Accumulator = (globalForOutcomes.breakwaterOutcomes ??= { minute: 0, buckets: new Map(), pending: new Map(), flushing: null, flushAt: null, timer: null });

/**
 * How soon a failure's count reaches the database. Another instance's uptime
 * job judges this one's failures (the minute's sample, the error-rate
 * automatic kills), and an instance that is failing may get no further
 * request to flush on: without a timer its counts would wait for traffic.
 */
const FAILURE_FLUSH_MS = 5_000;
/** A quiet minute's counts are written this long after the minute ends, for the same reason. */
const MINUTE_END_FLUSH_MS = 1_000;

/** No flush waits longer than a minute and a bit, whatever clock a caller passes (and a timer over 2^31 ms fires at once). */
const LONGEST_FLUSH_WAIT_MS = 60_000 + MINUTE_END_FLUSH_MS;

/** Makes sure a flush happens by `at` (an earlier one already due is kept). The timer never holds the process open. */
function flushBy(at: number): void {
  if (acc.flushAt !== null && acc.flushAt <= at) return;
  if (acc.timer) clearTimeout(acc.timer);
  acc.flushAt = at;
  acc.timer = setTimeout(() => {
    acc.timer = null;
    acc.flushAt = null;
    void flushRequestOutcomes();
  }, Math.min(Math.max(0, at - Date.now()), LONGEST_FLUSH_WAIT_MS));
  acc.timer.unref?.();
}

export function recordRequestOutcome(route: string, ok: boolean, latencyMs: number, now: number = Date.now()): void {
  const b = bucketFor(route, now);
  b.total++;
  if (!ok) b.errors++;
  flushBy(ok ? now - (now % 60_000) + 60_000 + MINUTE_END_FLUSH_MS : now + FAILURE_FLUSH_MS);
  if (latencyMs > (LATENCY_THRESHOLDS_MS[route] ?? DEFAULT_THRESHOLD_MS)) b.slow++;
  b.sumMs += latencyMs;
  if (latencyMs > b.maxMs) b.maxMs = latencyMs;
}

/**
 * A page render that crashed on the server (instrumentation's onRequestError).
 * Its timing is recorded as a request by the layout when it runs at all, so
 * this adds the failure alone.
 */
export function recordPageCrash(now: number = Date.now()): void {
  bucketFor("pages", now).errors++;
  flushBy(now + FAILURE_FLUSH_MS);
}

function bucketFor(route: string, now: number): Bucket {
  const minute = now - (now % 60_000);
  if (minute !== acc.minute) {
    if (acc.buckets.size > 0) acc.pending.set(String(acc.minute), acc.buckets);
    acc.minute = minute;
    acc.buckets = new Map();
    if (acc.pending.size > 0) void flushRequestOutcomes({ includeCurrent: false });
  }
  let b = acc.buckets.get(route);
  if (!b) {
    b = { total: 0, errors: 0, slow: 0, sumMs: 0, maxMs: 0 };
    acc.buckets.set(route, b);
  }
  return b;
}

/**
 * Writes finished minutes (and, when asked, the running one) to the
 * database. Failures put the counts back so the next flush retries them.
 */
export async function flushRequestOutcomes({ includeCurrent = true } = {}): Promise<void> {
  if (acc.flushing) await acc.flushing;
  if (includeCurrent && acc.buckets.size > 0) {
    acc.pending.set(String(acc.minute), acc.buckets);
    acc.buckets = new Map();
  }
  if (acc.pending.size === 0) return;
  const batch = acc.pending;
  acc.pending = new Map();
  acc.flushing = writeBatch(batch)
    .catch((error: unknown) => {
      for (const [minute, buckets] of batch) mergeInto(minute, buckets);
      logger.warn({ err: error }, "could not flush request outcomes; will retry");
    })
    .finally(() => {
      acc.flushing = null;
    });
  await acc.flushing;
}

function mergeInto(minute: string, buckets: Map<string, Bucket>) {
  const existing = acc.pending.get(minute);
  if (!existing) return void acc.pending.set(minute, buckets);
  for (const [route, b] of buckets) {
    const e = existing.get(route);
    if (!e) existing.set(route, b);
    else Object.assign(e, { total: e.total + b.total, errors: e.errors + b.errors, slow: e.slow + b.slow, sumMs: e.sumMs + b.sumMs, maxMs: Math.max(e.maxMs, b.maxMs) });
  }
}

async function writeBatch(batch: Map<string, Map<string, Bucket>>): Promise<void> {
  const rows = [...batch].flatMap(([minute, buckets]) =>
    [...buckets].map(([route, b]) => ({ minute: new Date(Number(minute)), route, ...b })),
  );
  if (rows.length === 0) return;
  const db = await getDb();
  await db
    .insert(requestMinutes)
    .values(rows)
    .onConflictDoUpdate({
      target: [requestMinutes.route, requestMinutes.minute],
      set: {
        total: sql`${requestMinutes.total} + excluded.total`,
        errors: sql`${requestMinutes.errors} + excluded.errors`,
        slow: sql`${requestMinutes.slow} + excluded.slow`,
        sumMs: sql`${requestMinutes.sumMs} + excluded.sum_ms`,
        maxMs: sql`greatest(${requestMinutes.maxMs}, excluded.max_ms)`,
      },
    });
}

/** Requests some wrapper already counts: the outermost one (a key API route's own group) wins over the adapters' default. */
const countedRequests = new WeakSet<object>();

/** A response is a fault when we failed: a 5xx, unless its error code says it was deliberate (a kill switch off, maintenance). */
function isFault(response: Response): boolean {
  if (response.status < 500) return false;
  const code = response.headers.get("x-error-code");
  return code === null || SERVER_FAULTS.has(code as ErrorCode);
}

/**
 * Wraps a route handler so its outcome and latency are recorded under
 * `route` (not on a dev server: see slo-report.ts). A request is counted
 * once, by the outermost wrapper.
 */
export function withRequestOutcome<A extends unknown[]>(route: string, handler: (...args: A) => Promise<Response> | Response) {
  if (IS_DEV_SERVER) return async (...args: A): Promise<Response> => handler(...args);
  return async (...args: A): Promise<Response> => {
    const request = args[0];
    if (typeof request === "object" && request !== null) {
      if (countedRequests.has(request)) return handler(...args);
      countedRequests.add(request);
    }
    const started = performance.now();
    try {
      const response = await handler(...args);
      recordRequestOutcome(route, !isFault(response), performance.now() - started);
      return response;
    } catch (error) {
      recordRequestOutcome(route, false, performance.now() - started);
      throw error;
    }
  };
}
