/**
 * Tells a hung database from a slow query, so no caller waits on Postgres
 * for more than a couple of seconds when it stops answering.
 *
 * Server-side timeouts (statement_timeout, idle_in_transaction_session_timeout)
 * need a server that runs: a stopped process (SIGSTOP, a frozen VM, a
 * network black hole) answers nothing, and a query sent on an open
 * connection would wait forever. So every query and transaction is tracked
 * here. When one has waited `unresponsiveAfterMs`, a probe opens a fresh
 * connection and runs `select 1` within `probeTimeoutMs`:
 * - it answers: the database is alive and the query is merely slow; it keeps
 *   waiting (bounded by statement_timeout) and is checked again later;
 * - it does not: the database is declared unavailable. Every tracked call is
 *   rejected at once with a `dependency_down` error, new calls fail fast, and
 *   a probe runs every `recoveryProbeMs` until one succeeds.
 * A connection-level failure (refused, reset, terminated by a shutdown)
 * starts a probe at once instead of after the wait.
 */

/** The result code the guarded path turns an error into, under the process-wide brand (bundles copy classes: never `instanceof`). */
const ERROR_CODE = Symbol.for("breakwater.error-code");

export type WatchdogOptions = {
  unresponsiveAfterMs: number;
  probeTimeoutMs: number;
  recoveryProbeMs: number;
};

type Tracked = { since: number; reject: (error: unknown) => void; abandon?: () => void };

/** Errors of the client or the server that mean "the database is not there", not "this query is wrong". */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, shutting down, in recovery)
  "53300", // too_many_connections
  "25P03", // idle_in_transaction_session_timeout: the server ended the session
]);
/** The server answered, but not in time: unavailable for this call, not a dead server. */
const TIMEOUT_CODES = new Set(["57014"]); // query_canceled (statement_timeout)

function codeOf(error: unknown): string | null {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || TIMEOUT_CODES.has(code) || code.startsWith("08"))) return code;
  }
  return null;
}

/** True when the error means the database could not be reached or did not answer in time. */
export function isDatabaseUnavailable(error: unknown): boolean {
  return codeOf(error) !== null || (Boolean(error) && typeof error === "object" && (error as Record<symbol, unknown>)[ERROR_CODE] === "dependency_down" && (error as { name?: unknown }).name === "DatabaseUnavailableError");
}

/** Marks an unavailability error `dependency_down` (returns it either way). */
export function brandUnavailable<E>(error: E): E {
  if (error && typeof error === "object" && codeOf(error) !== null && !(ERROR_CODE in error)) {
    Object.defineProperty(error, ERROR_CODE, { value: "dependency_down", enumerable: false });
  }
  return error;
}

export class DatabaseUnavailableError extends Error {
  constructor(detail: string) {
    super(`The database is unavailable: ${detail}`);
    this.name = "DatabaseUnavailableError";
    Object.defineProperty(this, ERROR_CODE, { value: "dependency_down", enumerable: false });
  }
}

export class DatabaseWatchdog {
  private readonly tracked = new Set<Tracked>();
  private sweeper: NodeJS.Timeout | null = null;
  private recovery: NodeJS.Timeout | null = null;
  private probing: Promise<boolean> | null = null;
  /** When the last probe answered: calls are judged from then on, not from their start. */
  private healthyAt = 0;
  private downSince: number | null = null;
  private closed = false;

  constructor(
    private readonly probe: () => Promise<void>,
    private readonly options: WatchdogOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** Null while the database answers; else since when it has not (epoch ms). */
  unavailableSince(): number | null {
    return this.downSince;
  }

  /**
   * Runs one database call under watch. `abandon` is told when the call is
   * given up on (its transaction must not start late, when the server wakes).
   */
  guard<T>(start: () => PromiseLike<T>, abandon?: () => void): Promise<T> {
    if (this.downSince !== null) {
      abandon?.();
      return Promise.reject(new DatabaseUnavailableError("it stopped answering and has not answered a probe since"));
    }
    return new Promise<T>((resolve, reject) => {
      const entry: Tracked = { since: this.now(), reject, abandon };
      this.tracked.add(entry);
      this.sweeper ??= this.startSweeper();
      let pending: PromiseLike<T>;
      try {
        pending = start();
      } catch (error) {
        this.tracked.delete(entry);
        reject(this.judge(error));
        return;
      }
      pending.then(
        (value) => {
          if (this.tracked.delete(entry)) resolve(value);
        },
        (error: unknown) => {
          if (this.tracked.delete(entry)) reject(this.judge(error));
        },
      );
    });
  }

  /** Stops timers; calls still tracked are rejected. */
  close(): void {
    this.closed = true;
    this.failAll(new DatabaseUnavailableError("the connection pool was closed"));
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.recovery) clearTimeout(this.recovery);
    this.sweeper = this.recovery = null;
  }

  private judge(error: unknown): unknown {
    const code = codeOf(error);
    // A lost connection may be one socket, or the whole server: the probe decides.
    if (code !== null && !TIMEOUT_CODES.has(code)) void this.check();
    return brandUnavailable(error);
  }

  private startSweeper(): NodeJS.Timeout {
    const every = Math.max(20, Math.min(100, Math.floor(this.options.unresponsiveAfterMs / 5)));
    const timer = setInterval(() => {
      if (this.tracked.size === 0) {
        clearInterval(timer);
        this.sweeper = null;
        return;
      }
      const since = this.now() - this.options.unresponsiveAfterMs;
      for (const entry of this.tracked) {
        if (Math.max(entry.since, this.healthyAt) <= since) {
          void this.check();
          return;
        }
      }
    }, every);
    timer.unref();
    return timer;
  }

  /** One probe at a time; its verdict applies to every call waiting on it. */
  private check(): Promise<boolean> {
    this.probing ??= this.runProbe()
      .then((answered) => {
        if (answered) {
          this.healthyAt = this.now();
          this.downSince = null;
        } else {
          this.declareDown();
        }
        return answered;
      })
      .finally(() => {
        this.probing = null;
      });
    return this.probing;
  }

  private async runProbe(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.probe(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error("probe timed out")), this.options.probeTimeoutMs);
        }),
      ]);
      return true;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  private declareDown(): void {
    if (this.closed) return;
    this.downSince ??= this.now();
    this.failAll(new DatabaseUnavailableError("it did not answer a probe within the time allowed"));
    this.scheduleRecovery();
  }

  private failAll(error: Error): void {
    for (const entry of this.tracked) {
      entry.abandon?.();
      entry.reject(error);
    }
    this.tracked.clear();
  }

  private scheduleRecovery(): void {
    if (this.recovery || this.closed) return;
    this.recovery = setTimeout(() => {
      this.recovery = null;
      void this.check().then((answered) => {
        if (!answered) this.scheduleRecovery();
      });
    }, this.options.recoveryProbeMs);
    this.recovery.unref();
  }
}
