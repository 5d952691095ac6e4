/**
 * Coalesces concurrent calls into one (single flight) and reuses the answer
 * for `ttlMs`. Under load, a status page or health check then costs one set
 * of queries per instance per interval instead of one per request.
 * A failed call is never cached.
 */
export function memoize<T>(fn: () => Promise<T>, ttlMs: number): (() => Promise<T>) & { clear: () => void } {
  let value: { at: number; result: T } | null = null;
  let inflight: Promise<T> | null = null;
  const call = () => {
    if (value && Date.now() - value.at < ttlMs) return Promise.resolve(value.result);
    inflight ??= fn()
      .then((result) => {
        value = { at: Date.now(), result };
        return result;
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  };
  return Object.assign(call, {
    clear: () => {
      value = null;
    },
  });
}
