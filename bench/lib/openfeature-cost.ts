// One OpenFeature measurement: Breakwater's provider against a constant provider, and a second
// constant provider against the first (an A/A control: what the method itself reads as a
// difference), calls interleaved one by one, and the evaluation the provider wraps alone.
// bench/guarded.bench.ts runs it in several processes of their own (bench/lib/openfeature-child.ts).
// Calls are interleaved singly because rounds of thousands of calls were not comparable: a pause
// of a few hundred microseconds lands in one provider's round, and two identical providers read
// 0.93 to 1.05 of each other by rounds in one process, against 0.99 to 1.00 call by call.
import { OpenFeature } from "@openfeature/server-sdk";
import { ConstantProvider } from "./constant-provider";
import { releaseFlag } from "./flag-definitions";
import { quantile, roundNs } from "./timing";

export type OpenFeatureRun = { ours: number; constant: number; constantAgain: number; evaluation: number };

const WARMUP = 10_000;
const CALLS = 100_000;

export async function measureOpenFeature(): Promise<OpenFeatureRun> {
  const { BreakwaterFlagProvider } = await import("@/lib/flags/openfeature");
  const { DECLARED_KILL_SWITCHES } = await import("@/lib/flags/kill-switches");
  const { pinFlagSnapshot } = await import("@/lib/flags/store");
  const { getFlagSync } = await import("@/lib/flags/runtime");
  type Def = import("@/lib/flags/model").FlagDefinition;
  // 100 release flags, each a 50 % rollout: what a typical product flag is.
  const keys = Array.from({ length: 100 }, (_, i) => `of_flag_${i}`);
  const state = { enabled: true, targets: [], rules: [], rollout: 50 };
  const defs: Def[] = keys.map((key) => releaseFlag(key, state));
  pinFlagSnapshot({ version: 1, flags: new Map<string, Def>([...DECLARED_KILL_SWITCHES, ...defs.map((d) => [d.key, d] as const)]), segments: new Map(), rows: new Map(), overrides: {}, loadedAt: Date.now() });

  await OpenFeature.setProviderAndWait("bench-breakwater", new BreakwaterFlagProvider());
  await OpenFeature.setProviderAndWait("bench-constant", new ConstantProvider());
  await OpenFeature.setProviderAndWait("bench-constant-again", new ConstantProvider());
  const ours = OpenFeature.getClient("bench-breakwater");
  const constant = OpenFeature.getClient("bench-constant");
  const constantAgain = OpenFeature.getClient("bench-constant-again");
  const contexts = Array.from({ length: 1000 }, (_, u) => ({ targetingKey: `user-${u}`, country: "zz" }));
  const call = (client: typeof ours) => (i: number) => client.getBooleanValue(keys[i % keys.length]!, false, contexts[Math.floor(i / keys.length) % contexts.length]!);
  // Each call timed on its own, the three clients taking turns in a rotating order; per-call medians (pauses fall in the tails).
  const calls = [call(ours), call(constant), call(constantAgain)];
  const samples: number[][] = calls.map(() => []);
  for (let i = 0; i < WARMUP + CALLS; i++) {
    for (let k = 0; k < calls.length; k++) {
      const which = (k + i) % calls.length;
      const t0 = process.hrtime.bigint();
      await calls[which]!(i);
      if (i >= WARMUP) samples[which]!.push(Number(process.hrtime.bigint() - t0));
    }
  }
  await OpenFeature.close();
  const [value, peerValue, again] = samples.map((xs) => quantile(xs, 0.5)) as [number, number, number];
  // The evaluation the provider wraps, alone: how much of the gap is the flag's own rollout rather than the provider.
  const flagContexts = contexts.map((c) => ({ id: c.targetingKey, country: c.country }));
  const evalNs: number[] = [];
  const BATCH = 5_000;
  for (let r = 0; r < 21; r++) {
    evalNs.push(await roundNs(BATCH, r * BATCH, async (i) => getFlagSync(keys[i % keys.length]!, flagContexts[Math.floor(i / keys.length) % flagContexts.length]!, false)));
  }
  return { ours: value, constant: peerValue, constantAgain: again, evaluation: quantile(evalNs, 0.5) };
}
