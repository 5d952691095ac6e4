/** The q-quantile (0..1) of a sample, nearest-rank. */
export const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

/** Nanoseconds per call of one round of `batch` sequential awaited calls, numbered from `offset`. */
export async function roundNs(batch: number, offset: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < batch; i++) await fn(offset + i);
  return Number(process.hrtime.bigint() - t0) / batch;
}

/** Median nanoseconds per awaited call over `rounds` rounds of `batch` calls, after two warm-up rounds. */
export async function medianNs(batch: number, rounds: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let r = 0; r < rounds + 2; r++) {
    const ns = await roundNs(batch, r * batch, fn);
    if (r >= 2) samples.push(ns);
  }
  return quantile(samples, 0.5);
}
