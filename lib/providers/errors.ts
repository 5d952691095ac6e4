/**
 * Provider failures come in two kinds: transient (timeouts, 5xx, network),
 * which say nothing about the request and may trip a breaker, and business
 * refusals (card declined), which are answers and never do.
 */
const PROVIDER_ERROR = Symbol.for("breakwater.provider-error");

const TIMED_OUT = Symbol.for("breakwater.provider-timed-out");

export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: "transient" | "refused",
    message: string,
    /** The call did not come back in time: the provider may have done the work anyway. */
    options: { timedOut?: boolean } = {},
  ) {
    super(message);
    this.name = "ProviderError";
    // Recognised by this process-wide brand, not `instanceof`: each bundle carries its own copy of this class.
    Object.defineProperty(this, PROVIDER_ERROR, { value: kind });
    if (options.timedOut) Object.defineProperty(this, TIMED_OUT, { value: true });
  }
}

/**
 * True when a provider call (or the call behind a breaker's error) timed out.
 * Its outcome is unknown: a charge may exist even though we never heard back.
 */
export function isProviderTimeout(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as Record<symbol, unknown>)[TIMED_OUT] === true) return true;
  }
  return false;
}

/** The kind of a provider error from any copy of this module, or null for anything else. */
export function providerErrorKind(error: unknown): ProviderError["kind"] | null {
  const kind = error && typeof error === "object" ? (error as Record<symbol, unknown>)[PROVIDER_ERROR] : undefined;
  return kind === "transient" || kind === "refused" ? kind : null;
}

/** A business refusal (card declined): an answer, not an outage. */
export function isProviderRefusal(error: unknown): error is ProviderError {
  return providerErrorKind(error) === "refused";
}
