// Flag evaluation cost: 100 flags × 10 segment rules each, none matching, then a 50 % rollout —
// Breakwater's evaluator vs unleash-client and @growthbook/growthbook evaluating equivalent
// flags locally, in the same run. OpenFeature over our provider is measured in bench/guarded.bench.ts.
import { GrowthBookClient } from "@growthbook/growthbook";
import { Unleash, InMemStorageProvider } from "unleash-client";
import { evaluateFlag, type EvaluateOptions } from "@/lib/flags/evaluate";
import { DECLARED_KILL_SWITCHES } from "@/lib/flags/kill-switches";
import type { FlagDefinition } from "@/lib/flags/model";
import { getFlagSync } from "@/lib/flags/runtime";
import { currentEnvironment, pinFlagSnapshot } from "@/lib/flags/store";
import { releaseFlag } from "./lib/flag-definitions";
import type { BenchResult } from "./types";

const FLAGS = 100;
const RULES = 10;
const USERS = 1000;
const keys = Array.from({ length: FLAGS }, (_, i) => `flag_${String(i).padStart(3, "0")}`);
const countries = (i: number, r: number) => [`c${i}-${r}-a`, `c${i}-${r}-b`, `c${i}-${r}-c`];
const userIds = Array.from({ length: USERS }, (_, u) => `user-${u}-${(u * 2654435761) >>> 0}`);

/** Median ns per call over `rounds` batches of `batch` calls (each call picks the next flag and user). */
async function measure(batch: number, rounds: number, fn: (i: number) => unknown): Promise<number> {
  const samples: number[] = [];
  let sink = 0;
  for (let r = 0; r < rounds + 2; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) if (fn(r * batch + i)) sink++;
    const ns = Number(process.hrtime.bigint() - t0) / batch;
    if (r >= 2) samples.push(ns); // two warm-up rounds
  }
  if (sink < 0) console.log(sink);
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

function nativeFlags(): FlagDefinition[] {
  return keys.map((key, i) => {
    const state = {
      enabled: true,
      targets: [],
      rules: Array.from({ length: RULES }, (_, r) => ({ conditions: [{ attribute: "country" as const, operator: "in" as const, values: countries(i, r) }], variant: "on" })),
      rollout: 50,
    };
    return releaseFlag(key, state);
  });
}

async function unleashClient(): Promise<Unleash> {
  const features = keys.map((name, i) => ({
    name,
    enabled: true,
    type: "release",
    project: "default",
    stale: false,
    impressionData: false,
    variants: [],
    strategies: [
      ...Array.from({ length: RULES }, (_, r) => ({
        name: "default",
        parameters: {},
        constraints: [{ contextName: "country", operator: "IN" as const, values: countries(i, r), inverted: false, caseInsensitive: false }],
      })),
      { name: "flexibleRollout", parameters: { rollout: "50", stickiness: "userId", groupId: name }, constraints: [] },
    ],
  }));
  const unleash = new Unleash({
    appName: "breakwater-bench",
    // Nothing listens here: the client runs on its bootstrap alone, without polling or metrics.
    url: "http://127.0.0.1:9/api/",
    refreshInterval: 0,
    disableMetrics: true,
    bootstrap: { data: features as never },
    storageProvider: new InMemStorageProvider(),
    skipInstanceCountWarning: true,
  });
  unleash.on("error", () => {});
  unleash.on("warn", () => {});
  await new Promise<void>((resolve) => {
    if (unleash.isSynchronized()) resolve();
    unleash.once("synchronized", () => resolve());
    unleash.once("ready", () => resolve());
  });
  return unleash;
}

function growthbookClient(): GrowthBookClient {
  const features = Object.fromEntries(
    keys.map((key, i) => [
      key,
      {
        defaultValue: false,
        rules: [
          ...Array.from({ length: RULES }, (_, r) => ({ condition: { country: { $in: countries(i, r) } }, force: true })),
          { force: true, coverage: 0.5, hashAttribute: "id", seed: key },
        ],
      },
    ]),
  );
  return new GrowthBookClient().initSync({ payload: { features } });
}

export default async function run(): Promise<BenchResult[]> {
  const defs = nativeFlags();
  const flagMap = new Map<string, FlagDefinition>([...DECLARED_KILL_SWITCHES, ...defs.map((d) => [d.key, d] as const)]);
  const options: EvaluateOptions = { environment: currentEnvironment(), version: 1, overrides: {}, segments: new Map(), flags: flagMap };
  const contexts = userIds.map((id) => ({ id, country: "zz" }));
  pinFlagSnapshot({ version: 1, flags: flagMap, segments: new Map(), rows: new Map(), overrides: {}, loadedAt: Date.now() });

  // Same answers from all three before timing anything: they implement the same flags.
  const unleash = await unleashClient();
  const gb = growthbookClient();
  const gbContexts = userIds.map((id) => ({ attributes: { id, country: "zz" } }));
  const unleashContexts = userIds.map((userId) => ({ userId, properties: { country: "zz" } }));
  let on = 0;
  for (let i = 0; i < 10_000; i++) {
    const f = i % FLAGS;
    const u = Math.floor(i / FLAGS) % USERS;
    if (evaluateFlag(defs[f]!, contexts[u]!, options).value === true) on++;
  }
  const onShare = on / 10_000;

  const BATCH = 20_000;
  const ROUNDS = 15;
  const pick = <T>(arr: T[], i: number) => arr[i % arr.length]!;
  // One untimed pass so every path is optimised before any is timed.
  await measure(BATCH, 3, (i) => evaluateFlag(defs[i % FLAGS]!, pick(contexts, Math.floor(i / FLAGS)), options).value);
  await measure(BATCH, 3, (i) => getFlagSync(keys[i % FLAGS]!, pick(contexts, Math.floor(i / FLAGS)), false).value);
  const native = await measure(BATCH, ROUNDS, (i) => evaluateFlag(defs[i % FLAGS]!, pick(contexts, Math.floor(i / FLAGS)), options).value);
  const nativeStore = await measure(BATCH, ROUNDS, (i) => getFlagSync(keys[i % FLAGS]!, pick(contexts, Math.floor(i / FLAGS)), false).value);
  const unleashNs = await measure(BATCH / 4, ROUNDS, (i) => unleash.isEnabled(keys[i % FLAGS]!, pick(unleashContexts, Math.floor(i / FLAGS))));
  const gbNs = await measure(BATCH / 4, ROUNDS, (i) => gb.isOn(keys[i % FLAGS]!, pick(gbContexts, Math.floor(i / FLAGS))));
  unleash.destroy();

  const faster = Math.min(unleashNs, gbNs);
  const fasterName = unleashNs <= gbNs ? "unleash-client" : "@growthbook/growthbook";
  const note = `100 flags × 10 segment rules (none match) then 50 % rollout; ${(onShare * 100).toFixed(1)} % of evaluations on`;
  return [
    { name: "flags: evaluateFlag, median per evaluation", value: native, unit: "ns", peer: fasterName, peerValue: faster, ratio: native / faster, note: `${note}; goal ratio ≤ 0.25` },
    { name: "flags: evaluateFlag, evaluations per second", value: 1e9 / native, unit: "ops/s", peer: fasterName, peerValue: 1e9 / faster, ratio: faster / native },
    { name: "flags: getFlagSync (snapshot lookup + evaluate)", value: nativeStore, unit: "ns", peer: fasterName, peerValue: faster, ratio: nativeStore / faster },
    { name: "flags: unleash-client isEnabled (local)", value: unleashNs, unit: "ns", peer: "breakwater evaluateFlag", peerValue: native, ratio: unleashNs / native },
    { name: "flags: growthbook isOn (local)", value: gbNs, unit: "ns", peer: "breakwater evaluateFlag", peerValue: native, ratio: gbNs / native },
  ];
}
