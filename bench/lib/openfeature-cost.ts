// One OpenFeature measurement: Breakwater's provider against a constant provider, rounds
// interleaved, and the evaluation the provider wraps alone. bench/guarded.bench.ts runs it in
// several processes of their own (bench/lib/openfeature-child.ts): the ratio moves more between
// processes than between rounds of one process.
import { OpenFeature } from "@openfeature/server-sdk";
import { ConstantProvider } from "./constant-provider";
import { releaseFlag } from "./flag-definitions";
import { quantile, roundNs } from "./timing";

export type OpenFeatureRun = { ours: number; constant: number; evaluation: number };

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
  const ours = OpenFeature.getClient("bench-breakwater");
  const constant = OpenFeature.getClient("bench-constant");
  const contexts = Array.from({ length: 1000 }, (_, u) => ({ targetingKey: `user-${u}`, country: "zz" }));
  const call = (client: typeof ours) => (i: number) => client.getBooleanValue(keys[i % keys.length]!, false, contexts[Math.floor(i / keys.length) % contexts.length]!);

  const BATCH = 5_000;
  for (let r = 0; r < 3; r++) {
    await roundNs(BATCH, r * BATCH, call(ours));
    await roundNs(BATCH, r * BATCH, call(constant));
  }
  const oursNs: number[] = [];
  const constantNs: number[] = [];
  for (let r = 0; r < 21; r++) {
    // Alternate which goes first, so drift on a shared machine falls on both.
    if (r % 2 === 0) {
      oursNs.push(await roundNs(BATCH, r * BATCH, call(ours)));
      constantNs.push(await roundNs(BATCH, r * BATCH, call(constant)));
    } else {
      constantNs.push(await roundNs(BATCH, r * BATCH, call(constant)));
      oursNs.push(await roundNs(BATCH, r * BATCH, call(ours)));
    }
  }
  await OpenFeature.close();
  const value = quantile(oursNs, 0.5);
  const peerValue = quantile(constantNs, 0.5);
  // The evaluation the provider wraps, alone: how much of the gap is the flag's own rollout rather than the provider.
  const flagContexts = contexts.map((c) => ({ id: c.targetingKey, country: c.country }));
  const evalNs: number[] = [];
  for (let r = 0; r < 21; r++) {
    evalNs.push(await roundNs(BATCH, r * BATCH, async (i) => getFlagSync(keys[i % keys.length]!, flagContexts[Math.floor(i / keys.length) % flagContexts.length]!, false)));
  }
  return { ours: value, constant: peerValue, evaluation: quantile(evalNs, 0.5) };
}
