import type { BreakerName } from "./config";

export class DependencyDownError extends Error {
  constructor(
    readonly dependency: BreakerName,
    cause: unknown,
    /** Why the call was not made or failed: the breaker is open, the call failed, or our shared state is unreachable. */
    readonly reason: "open" | "failed" | "store_down" = "failed",
  ) {
    super(`${dependency} is unavailable`, { cause });
    this.name = "DependencyDownError";
  }
}
