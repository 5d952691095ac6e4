import { CircuitState, CountBreaker } from "cockatiel";
import { isProviderRefusal, ProviderError } from "@/lib/providers";
import type { BreakerConfig, BreakerName } from "./config";
import { DependencyDownError } from "./errors";
import { INITIAL, type BreakerStore, type SharedState } from "./store";

export type TransitionEvent = {
  name: BreakerName;
  from: string;
  to: string;
  reason: string;
  failureRate: number | null;
  actorId: string | null;
};

export type BreakerSnapshot = {
  name: BreakerName;
  state: SharedState["state"];
  forced: SharedState["forced"];
  cooldownRemainingMs: number;
  /** This instance's view of the last calls (counts are per instance by design). */
  failureRate: number;
  calls: number;
  store: BreakerStore["kind"];
  storeDown: boolean;
};

/** Business refusals (card declined) are answers, not outages: they never trip a breaker. */
export function isTransient(error: unknown): boolean {
  return !isProviderRefusal(error);
}

/**
 * One named breaker as seen by one server instance.
 *
 * cockatiel's CountBreaker does the in-process counting (failure rate over
 * a sliding window with a minimum number of calls). Around it: the state is
 * shared through a `BreakerStore`, and only transitions write to the store
 * (compare-and-set on a version). Every call first re-reads the shared state
 * (calls in flight together share one read), so a trip, a probe's verdict or
 * an operator's reset on any instance is honoured here before the next
 * provider call; next to a provider call, the read (one key in Redis, one
 * row in Postgres) is cheap. When the cooldown ends, instances race for a
 * probe claim (SET NX PX / conditional UPDATE): exactly one probes, the
 * others keep failing fast.
 *
 * Counts belong to a generation: whenever the shared state becomes closed
 * again (a probe succeeded, an operator reset or forced it), every instance
 * starts counting afresh, so failures from before never re-open it early.
 */
export class SharedBreaker {
  readonly instanceId = crypto.randomUUID();
  private view: SharedState = { ...INITIAL };
  private syncing: Promise<void> | null = null;
  private storeDown = false;
  private counter: CountBreaker;

  constructor(
    readonly name: BreakerName,
    readonly config: BreakerConfig,
    readonly store: BreakerStore,
    private readonly onTransition: (event: TransitionEvent) => Promise<void> = async () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.counter = this.newCounter();
  }

  private newCounter() {
    return new CountBreaker({ threshold: this.config.failureRate, size: this.config.windowSize, minimumNumberOfCalls: this.config.minimumCalls });
  }

  call<T>(fn: () => Promise<T>): Promise<T> {
    return this.sync().then(() => this.route(fn));
  }

  // Not async on purpose: the closed path is the hot one and every extra await costs a microtask.
  private route<T>(fn: () => Promise<T>): Promise<T> {
    const view = this.view;
    if (view.forced === "open") return Promise.reject(failFast(this.name, "open"));
    if (this.storeDown && this.config.whenStoreDown === "deny") return Promise.reject(failFast(this.name, "store_down"));
    if (view.forced === "closed" || view.state === "closed") return this.callClosed(fn);
    if (view.state === "open" && this.now() < view.cooldownUntil) return Promise.reject(failFast(this.name, "open"));
    return this.probe(fn);
  }

  /** Re-reads the shared state (a read already in flight is shared). */
  sync(): Promise<void> {
    this.syncing ??= this.store
      .read(this.name)
      .then((state) => {
        this.adopt(state);
        this.storeDown = false;
      })
      .catch(() => {
        this.storeDown = true;
      })
      .finally(() => {
        this.syncing = null;
      });
    return this.syncing;
  }

  /** Takes the shared state as this instance's view; a breaker closed again since the last look starts a new generation of counts. */
  private adopt(state: SharedState): void {
    if (state.version !== this.view.version && state.state === "closed") this.counter = this.newCounter();
    this.view = state;
  }

  private callClosed<T>(fn: () => Promise<T>): Promise<T> {
    return this.withTimeout(fn).then(
      (result) => {
        this.counter.success(CircuitState.Closed);
        return result;
      },
      (error: unknown) => this.closedFailure(error),
    );
  }

  private async closedFailure(error: unknown): Promise<never> {
    if (!isTransient(error)) {
      this.counter.success(CircuitState.Closed);
      throw error;
    }
    if (this.counter.failure(CircuitState.Closed) && this.view.forced !== "closed") await this.trip();
    throw new DependencyDownError(this.name, error, "failed");
  }

  private async trip(): Promise<void> {
    const rate = this.failureRate();
    this.counter = this.newCounter();
    const from = this.view;
    if (from.state !== "closed") return;
    const next = { state: "open" as const, forced: from.forced, cooldownUntil: this.now() + this.config.cooldownMs };
    const done = await this.transition(from, next, `failure rate ${Math.round(rate * 100)}% over the last calls`, rate, null);
    // Store unreachable: this instance still stops calling, on its own. (Lost a race instead: the view follows the store.)
    if (!done && this.storeDown) this.view = { ...from, ...next };
  }

  private async probe<T>(fn: () => Promise<T>): Promise<T> {
    let won: boolean;
    try {
      won = await this.store.claimProbe(this.name, this.instanceId, this.config.timeoutMs + 1_000);
    } catch {
      this.storeDown = true;
      if (this.config.whenStoreDown === "deny") throw new DependencyDownError(this.name, null, "store_down");
      won = true; // alone without the store: this instance probes for itself
    }
    if (!won) {
      void this.sync();
      throw new DependencyDownError(this.name, null, "open");
    }
    try {
      let view = this.view;
      if (view.state === "open") {
        if (!(await this.transition(view, { ...view, state: "half_open" }, "cooldown over: probing", null, null)) && !this.storeDown) {
          // Someone changed it meanwhile (closed by another probe, forced by an admin): follow them.
          view = this.view;
          if (view.forced === "open" || view.state !== "open") {
            if (view.state === "closed" && view.forced !== "open") return this.callClosed(fn);
            throw new DependencyDownError(this.name, null, "open");
          }
        }
        if (this.storeDown) this.view = { ...view, state: "half_open" };
      }
      try {
        const result = await this.withTimeout(fn);
        await this.close("probe succeeded");
        return result;
      } catch (error) {
        if (!isTransient(error)) {
          await this.close("probe answered");
          throw error;
        }
        const next = { state: "open" as const, forced: this.view.forced, cooldownUntil: this.now() + this.config.cooldownMs };
        if (!(await this.transition(this.view, next, "probe failed", null, null)) && this.storeDown) this.view = { ...this.view, ...next };
        throw new DependencyDownError(this.name, error, "failed");
      }
    } finally {
      await this.store.releaseProbe(this.name, this.instanceId).catch(() => {});
    }
  }

  private async close(reason: string) {
    this.counter = this.newCounter();
    const next = { state: "closed" as const, forced: this.view.forced, cooldownUntil: 0 };
    if (!(await this.transition(this.view, next, reason, null, null)) && this.storeDown) this.view = { ...this.view, ...next };
  }

  /**
   * Compare-and-set against the shared store. Returns true when this
   * instance's transition was written; the view follows the store either way.
   */
  private async transition(
    from: SharedState,
    next: Omit<SharedState, "version">,
    reason: string,
    failureRate: number | null,
    actorId: string | null,
  ): Promise<boolean> {
    try {
      const result = await this.store.transition(this.name, from.version, next);
      this.adopt(result.state);
      this.storeDown = false;
      if (result.ok) {
        await this.onTransition({
          name: this.name,
          from: describe(from),
          to: describe(result.state),
          reason,
          failureRate,
          actorId,
        }).catch(() => {});
      }
      return result.ok;
    } catch {
      this.storeDown = true;
      return false;
    }
  }

  /** Admin override: isolate ("open"), ignore failures ("closed"), or back to automatic ("reset"). */
  async force(mode: "open" | "closed" | "reset", reason: string, actorId: string | null): Promise<SharedState> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.store.read(this.name);
      this.adopt(current);
      const next: Omit<SharedState, "version"> =
        mode === "open"
          ? { state: "open", forced: "open", cooldownUntil: current.cooldownUntil }
          : { state: "closed", forced: mode === "closed" ? "closed" : null, cooldownUntil: 0 };
      if (await this.transition(current, next, reason, null, actorId)) {
        this.counter = this.newCounter();
        return this.view;
      }
      if (this.storeDown) throw new Error(`The ${this.name} breaker's shared store is unreachable`);
    }
    throw new Error(`The ${this.name} breaker kept changing; try again`);
  }

  failureRate(): number {
    const { failures, successes } = this.counter.state as { failures: number; successes: number };
    return failures + successes === 0 ? 0 : failures / (failures + successes);
  }

  snapshot(): BreakerSnapshot {
    const { failures, successes } = this.counter.state as { failures: number; successes: number };
    return {
      name: this.name,
      state: this.view.state,
      forced: this.view.forced,
      cooldownRemainingMs: this.view.state === "open" ? Math.max(0, this.view.cooldownUntil - this.now()) : 0,
      failureRate: this.failureRate(),
      calls: failures + successes,
      store: this.store.kind,
      storeDown: this.storeDown,
    };
  }

  /**
   * Per-call timeout without a timer per call: in-flight calls sit in a set
   * that one unref'd interval sweeps (every timeout/10, 5–100 ms), so a
   * timeout fires at most one sweep late. A timer per call was most of the
   * closed-path overhead.
   */
  private inflight = new Set<{ deadline: number; reject: (error: unknown) => void }>();
  private sweeper: NodeJS.Timeout | null = null;

  private withTimeout<T>(fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = { deadline: Date.now() + this.config.timeoutMs, reject };
      this.inflight.add(entry);
      if (!this.sweeper) this.startSweeper();
      let pending: Promise<T>;
      try {
        pending = fn();
      } catch (error) {
        this.inflight.delete(entry);
        reject(error);
        return;
      }
      pending.then(
        (value) => {
          this.inflight.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          this.inflight.delete(entry);
          reject(error);
        },
      );
    });
  }

  private startSweeper() {
    const every = Math.max(5, Math.min(100, Math.floor(this.config.timeoutMs / 10)));
    this.sweeper = setInterval(() => {
      const now = Date.now();
      for (const entry of this.inflight) {
        if (entry.deadline > now) continue;
        this.inflight.delete(entry);
        entry.reject(new ProviderError(this.name, "transient", `${this.name} timed out`, { timedOut: true }));
      }
      if (this.inflight.size === 0 && this.sweeper) {
        clearInterval(this.sweeper);
        this.sweeper = null;
      }
    }, every);
    this.sweeper.unref();
  }
}

/**
 * The error for a call that was never made. Its stack would only point at
 * this file, and capturing it is most of the fail-fast cost, so skip it.
 */
function failFast(name: BreakerName, reason: "open" | "store_down"): DependencyDownError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new DependencyDownError(name, null, reason);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function describe(state: Pick<SharedState, "state" | "forced">): string {
  return state.forced ? `${state.state} (forced ${state.forced})` : state.state;
}
