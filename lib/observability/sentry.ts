import * as Sentry from "@sentry/nextjs";

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
    return Sentry.captureException(error);
  });
}

export type CronSchedule = { crontab: string; maxRuntimeMinutes?: number; checkinMarginMinutes?: number };

/**
 * Runs a cron job inside a Sentry Crons check-in (in_progress, then ok or
 * error with its duration), so a job that stops running or starts failing
 * alerts in Sentry. Without Sentry it just runs the job.
 */
export async function withCronCheckIn<T>(monitorSlug: string, schedule: CronSchedule, job: () => Promise<T>): Promise<T> {
  if (!sentryEnabled()) return job();
  return Sentry.withMonitor(monitorSlug, job, {
    schedule: { type: "crontab", value: schedule.crontab },
    maxRuntime: schedule.maxRuntimeMinutes,
    checkinMargin: schedule.checkinMarginMinutes,
    timezone: "Etc/UTC",
  });
}

/** Waits for queued events to be sent (serverless functions may freeze right after a response). */
export async function flushSentry(timeoutMs = 2000): Promise<boolean> {
  if (!sentryEnabled()) return true;
  return Sentry.flush(timeoutMs);
}
