import { describe, expect, it } from "vitest";
import { DatabaseWatchdog, isDatabaseUnavailable } from "./watchdog";

// db/ imports nothing from lib/: read the kernel's brand directly.
const errorCodeOf = (error: unknown) => (error as Record<symbol, unknown>)[Symbol.for("breakwater.error-code")] ?? null;

const OPTIONS = { unresponsiveAfterMs: 40, probeTimeoutMs: 40, recoveryProbeMs: 20 };
const never = () => new Promise<never>(() => {});
const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A probe the test switches between answering and hanging. */
function switchableProbe() {
  const state = { answers: true, calls: 0 };
  const probe = () => {
    state.calls++;
    return state.answers ? Promise.resolve() : never();
  };
  return { state, probe };
}

describe("database watchdog", () => {
  it("lets a slow query finish while the server answers probes", async () => {
    const { state, probe } = switchableProbe();
    const watchdog = new DatabaseWatchdog(probe, OPTIONS);
    await expect(watchdog.guard(() => later(200, "rows"))).resolves.toBe("rows");
    expect(state.calls).toBeGreaterThan(0);
    expect(watchdog.unavailableSince()).toBeNull();
    watchdog.close();
  });

  it("rejects every waiting call as dependency_down once a probe goes unanswered, fails fast after, and recovers", async () => {
    const { state, probe } = switchableProbe();
    state.answers = false;
    const watchdog = new DatabaseWatchdog(probe, OPTIONS);
    let abandoned = 0;
    const waiting = [watchdog.guard(never, () => abandoned++), watchdog.guard(never)];
    const errors = await Promise.all(waiting.map((w) => w.then(() => null, (e: unknown) => e)));
    for (const error of errors) {
      expect(errorCodeOf(error)).toBe("dependency_down");
      expect(isDatabaseUnavailable(error)).toBe(true);
    }
    expect(abandoned).toBe(1);
    expect(watchdog.unavailableSince()).not.toBeNull();

    // Down: a new call is refused without being started.
    let started = false;
    await expect(
      watchdog.guard(() => {
        started = true;
        return Promise.resolve(1);
      }),
    ).rejects.toThrow(/unavailable/);
    expect(started).toBe(false);

    // The server answers again: the recovery probe notices without any caller.
    state.answers = true;
    for (let i = 0; i < 50 && watchdog.unavailableSince() !== null; i++) await settle(10);
    expect(watchdog.unavailableSince()).toBeNull();
    await expect(watchdog.guard(() => Promise.resolve("back"))).resolves.toBe("back");
    watchdog.close();
  });

  it("brands connection failures and probes at once; a statement timeout is branded without a verdict on the server", async () => {
    const { state, probe } = switchableProbe();
    const watchdog = new DatabaseWatchdog(probe, { ...OPTIONS, unresponsiveAfterMs: 60_000 });
    const refused = await watchdog.guard(() => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).catch((e: unknown) => e);
    expect(errorCodeOf(refused)).toBe("dependency_down");
    expect(state.calls).toBe(1);
    const timedOut = await watchdog.guard(() => Promise.reject(Object.assign(new Error("canceling statement due to statement timeout"), { code: "57014" }))).catch((e: unknown) => e);
    expect(errorCodeOf(timedOut)).toBe("dependency_down");
    expect(state.calls).toBe(1);
    // A query that is simply wrong stays what it is.
    const wrong = await watchdog.guard(() => Promise.reject(Object.assign(new Error("duplicate key"), { code: "23505" }))).catch((e: unknown) => e);
    expect(errorCodeOf(wrong)).toBeNull();
    watchdog.close();
  });
});
