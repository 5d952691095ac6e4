import { ProviderError } from "@/lib/providers/errors";

/**
 * The one way out of the app to a provider. The resilience issue adds the
 * shared closed/open/half-open state; this layer already gives every call a
 * timeout and turns transient provider failures into `dependency_down`.
 */
export type BreakerName = "payments" | "email";

const TIMEOUT_MS: Record<BreakerName, number> = { payments: 5_000, email: 5_000 };

export class DependencyDownError extends Error {
  constructor(readonly dependency: BreakerName, cause: unknown) {
    super(`${dependency} is unavailable`, { cause });
    this.name = "DependencyDownError";
  }
}

export async function callThroughBreaker<T>(name: BreakerName, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProviderError(name, "transient", `${name} timed out`)), TIMEOUT_MS[name]);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (error) {
    if (error instanceof ProviderError && error.kind === "refused") throw error;
    throw new DependencyDownError(name, error);
  } finally {
    clearTimeout(timer);
  }
}
