/**
 * Provider failures come in two kinds: transient (timeouts, 5xx, network),
 * which say nothing about the request and may trip a breaker, and business
 * refusals (card declined), which are answers and never do.
 */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: "transient" | "refused",
    message: string,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}
