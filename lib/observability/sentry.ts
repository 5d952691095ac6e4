import * as Sentry from "@sentry/nextjs";
import { after } from "next/server";
import { errorIdForDigest } from "./constants";

/**
 * Server-side Sentry helpers. Every function here is safe to call when Sentry
 * is not initialised (no DSN): nothing is sent and nothing breaks, the
 * caller just gets a locally generated id.
 */

export type ObservedRequest = { requestId: string; userId?: string | null; action?: string };

export function sentryEnabled(): boolean {
  // Outside Next.js (the ops CLI under tsx) the package resolves to an entry without isEnabled: treat as off.
  return typeof Sentry.isEnabled === "function" && Sentry.isEnabled();
}

/**
 * Attaches who and which request to every event this request sends
 * (isolation scope = this request in Sentry's Next.js integration).
 */
export function tagRequestScope({ requestId, userId, action }: ObservedRequest): void {
  if (!sentryEnabled()) return;
  const scope = Sentry.getIsolationScope();
  scope.setTag("request_id", requestId);
  if (action) scope.setTag("action", action);
  scope.setUser(userId ? { id: userId } : null);
}

/**
 * Reports an unexpected server error and returns the id the user is shown:
 * the Sentry event id when Sentry is on (so support can open that event),
 * a random id otherwise (still in the log line beside the error).
 */
export function captureServerError(error: unknown, request: ObservedRequest): string {
  if (!sentryEnabled()) return crypto.randomUUID();
  return Sentry.withScope((scope) => {
    scope.setTag("request_id", request.requestId);
    if (request.action) scope.setTag("action", request.action);
    if (request.userId) scope.setUser({ id: request.userId });
    const eventId = Sentry.captureException(error);
    flushAfterResponse();
    return eventId;
  });
}

/** Digests this process has already sent under their derived id (bounded: a crash class, not a crash, per entry). */
const sentUnderDerivedId = new Set<string>();
const MAX_REMEMBERED_DIGESTS = 1_000;

/**
 * Next's `onRequestError` with one change: an error carrying a digest (a
 * page or a server action that crashed) is sent under the event id derived
 * from that digest, because the digest is all the browser's error boundary
 * is given, and it shows the same derivation. Everything else Sentry's own
 * handler does (request headers, route, skipping Next's control-flow errors,
 * flushing on Vercel) is left to it.
 *
 * Next's digest names the crash, not the occurrence (a hash of message and
 * stack), and Sentry keeps one event per id. So only a digest's first crash
 * in this process takes the derived id; repeats go under ids of their own,
 * tagged with the digest, and are counted. The id a user is shown opens the
 * crash; the tag lists every occurrence.
 */
export async function captureRequestError(...args: Parameters<typeof Sentry.captureRequestError>): Promise<void> {
  const [error] = args;
  const digest = error && typeof error === "object" && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  const eventId = digest && sentryEnabled() ? await errorIdForDigest(digest) : null;
  if (!digest || !eventId) return Sentry.captureRequestError(...args);
  const first = !sentUnderDerivedId.has(digest);
  if (first && sentUnderDerivedId.size < MAX_REMEMBERED_DIGESTS) sentUnderDerivedId.add(digest);
  Sentry.withScope((scope) => {
    // Sentry's handler takes no event id, but its event passes through this scope's processors.
    if (first) scope.addEventProcessor((event) => ({ ...event, event_id: eventId }));
    // The digest is also in the server's log line for the error: the tag joins the two.
    scope.setTag("digest", digest);
    Sentry.captureRequestError(...args);
  });
}

export type CronSchedule = { crontab: string; maxRuntimeMinutes?: number; checkinMarginMinutes?: number };

/**
 * Runs a cron job inside a Sentry Crons check-in (in_progress, then ok or
 * error with its duration), so a job that stops running or starts failing
 * alerts in Sentry. A job that reports failure in what it returns rather
 * than by throwing says so through `failed`. Without Sentry it just runs the job.
 */
export async function withCronCheckIn<T>(monitorSlug: string, schedule: CronSchedule, job: () => Promise<T>, failed: (result: T) => boolean = () => false): Promise<T> {
  if (!sentryEnabled()) return job();
  const monitorConfig = {
    schedule: { type: "crontab", value: schedule.crontab },
    maxRuntime: schedule.maxRuntimeMinutes,
    checkinMargin: schedule.checkinMarginMinutes,
    timezone: "Etc/UTC",
  } as const;
  const checkInId = Sentry.captureCheckIn({ monitorSlug, status: "in_progress" }, monitorConfig);
  const startedAt = performance.now();
  const finish = (status: "ok" | "error") => Sentry.captureCheckIn({ checkInId, monitorSlug, status, duration: (performance.now() - startedAt) / 1000 }, monitorConfig);
  try {
    const result = await job();
    finish(failed(result) ? "error" : "ok");
    return result;
  } catch (error) {
    finish("error");
    throw error;
  }
}

/** Waits for queued events to be sent (serverless functions may freeze right after a response). */
export async function flushSentry(timeoutMs = 2000): Promise<boolean> {
  if (!sentryEnabled()) return true;
  return Sentry.flush(timeoutMs);
}

/**
 * Inside a request, sends what is queued once the response has gone:
 * `after` delays nobody's answer, and where the platform can freeze a
 * function after its response (Vercel), Next keeps it alive until the
 * callback settles. Outside a request (a job, the CLI, a test) `after`
 * refuses, and the caller flushes itself.
 */
function flushAfterResponse(): void {
  try {
    after(() => flushSentry().then(() => undefined));
  } catch {
    // Not in a request scope.
  }
}
