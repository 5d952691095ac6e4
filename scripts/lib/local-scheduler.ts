import { parseCron } from "@/lib/jobs/cron";

/**
 * What Vercel cron does in production, for `npm run dev`: at each minute a
 * job's schedule names, call its cron route (`GET /api/cron/<job>`) with
 * `Authorization: Bearer $CRON_SECRET`, exactly as Vercel would. The app
 * cannot tell the difference except by the `x-cron-trigger` label, which it
 * records as the run's trigger ("local scheduler" on /admin/jobs).
 *
 * It lives in the `npm run dev` process, never in the app: production and
 * the test servers (`next start`) have no scheduler unless one is started.
 */
export type ScheduledJob = { name: string; schedule: string };

export type LocalSchedulerOptions = {
  /** Where the app answers, e.g. http://127.0.0.1:3000. */
  baseUrl: string;
  cronSecret: string;
  jobs: readonly ScheduledJob[];
  /** Jobs to run once right away: those that missed their window while nothing ran them. */
  catchUp?: readonly string[];
  /** The scheduler's clock; tests pass a fast one so a schedule comes round in seconds, not minutes. */
  clock?: () => Date;
  /** How often the clock is looked at. */
  tickMs?: number;
  /** Each call's outcome: the run's status ("succeeded", "skipped", …), an HTTP status, or "unreachable". */
  onResult?: (result: { job: string; outcome: string; detail: string | null }) => void;
};

export type Fired = { job: string; minute: string; status: number | "error"; reason: "schedule" | "catch_up" };

export type LocalScheduler = {
  /** Every call made so far, in order. */
  readonly fired: readonly Fired[];
  /** Stops ticking and waits for calls in flight (abandoning them after `graceMs`). */
  stop: (graceMs?: number) => Promise<void>;
};

export const LOCAL_SCHEDULER_TRIGGER = "local-scheduler";
/** A clock that jumped (a laptop waking up) runs each due job once, not once per missed minute. */
const MAX_MINUTES_REPLAYED = 5;

export function startLocalScheduler(options: LocalSchedulerOptions): LocalScheduler {
  const clock = options.clock ?? (() => new Date());
  const report = options.onResult ?? (() => {});
  const schedules = options.jobs.map((job) => ({ job, matches: parseCron(job.schedule) }));
  const inFlight = new Map<string, Promise<void>>();
  const controller = new AbortController();
  const fired: Fired[] = [];
  let lastMinute = Math.floor(clock().getTime() / 60_000);

  const call = (job: string, minute: Date, reason: Fired["reason"]) => {
    // One call per job at a time: the app would record an overlapping one as skipped anyway.
    if (inFlight.has(job) || controller.signal.aborted) return;
    const run = (async () => {
      let status: Fired["status"] = "error";
      try {
        const response = await fetch(`${options.baseUrl}/api/cron/${job}`, {
          headers: { authorization: `Bearer ${options.cronSecret}`, "x-cron-trigger": LOCAL_SCHEDULER_TRIGGER },
          signal: controller.signal,
        });
        status = response.status;
        const body = (await response.json().catch(() => null)) as { status?: string; error?: string | null } | null;
        report({ job, outcome: body?.status ?? `HTTP ${response.status}`, detail: body?.error ?? null });
      } catch (error) {
        if (!controller.signal.aborted) report({ job, outcome: "unreachable", detail: error instanceof Error ? error.message : String(error) });
      } finally {
        fired.push({ job, minute: minute.toISOString(), status, reason });
        inFlight.delete(job);
      }
    })();
    inFlight.set(job, run);
  };

  for (const job of options.catchUp ?? []) call(job, new Date(lastMinute * 60_000), "catch_up");

  const timer = setInterval(() => {
    const minute = Math.floor(clock().getTime() / 60_000);
    if (minute <= lastMinute) return;
    const from = Math.max(lastMinute + 1, minute - MAX_MINUTES_REPLAYED + 1);
    const due = new Map<string, Date>();
    for (let m = from; m <= minute; m++) {
      const at = new Date(m * 60_000);
      for (const { job, matches } of schedules) if (matches(at)) due.set(job.name, at);
    }
    lastMinute = minute;
    for (const [job, at] of due) call(job, at, "schedule");
  }, options.tickMs ?? 1_000);

  return {
    fired,
    async stop(graceMs = 5_000) {
      clearInterval(timer);
      const pending = Promise.allSettled(inFlight.values());
      const grace = new Promise((resolve) => setTimeout(resolve, graceMs).unref());
      await Promise.race([pending, grace]);
      controller.abort();
      await pending;
    },
  };
}
