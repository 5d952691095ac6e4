import { brandError, errorCodeOf } from "@/lib/safety";
import type { BreakerName } from "./config";

/**
 * A provider we depend on is unavailable. Recognised by its brand
 * (`isDependencyDown`), never by `instanceof`: every bundle has its own copy
 * of this class, and an error thrown by one copy is no instance of another's.
 */
export class DependencyDownError extends Error {
  constructor(
    readonly dependency: BreakerName,
    cause: unknown,
    /** Why the call was not made or failed: the breaker is open, the call failed, or our shared state is unreachable. */
    readonly reason: "open" | "failed" | "store_down" = "failed",
  ) {
    super(`${dependency} is unavailable`, { cause });
    this.name = "DependencyDownError";
    brandError(this, "dependency_down");
  }
}

/** True for a DependencyDownError from any copy of this module (or an error caused by one). */
export function isDependencyDown(error: unknown): error is DependencyDownError {
  return errorCodeOf(error) === "dependency_down";
}
