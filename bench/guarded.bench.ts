// What the guards themselves cost, in one run:
// 1. the same change (rename a project) through `defineAction` — errors, audit, permission,
//    read-only, kill switch, rate limit, input, transaction with its audit event, outbox — and
//    written bare (the action's own handler in a plain transaction), rounds interleaved; p50 added.
// 2. OpenFeature over Breakwater's provider against OpenFeature over a constant provider,
//    rounds interleaved: what the provider adds to the SDK's own overhead.
// On DATABASE_URL when set (Postgres), else an in-memory PGlite.
import { OpenFeature } from "@openfeature/server-sdk";
import { ConstantProvider } from "./lib/constant-provider";
import { quantile, roundNs } from "./lib/timing";
import type { BenchResult } from "./types";

const ROUNDS = 10;
const PER_ROUND = 100;


export default async function run(): Promise<BenchResult[]> {
  if (!process.env.DATABASE_URL) process.env.PGLITE_DIR = "memory://";
  // As the bench servers run: one log line per action to a terminal is not what is being measured. Set on the
  // logger itself: an earlier bench file in this process may have created it, reading LOG_LEVEL then.
  (await import("@/lib/observability")).logger.level = process.env.LOG_LEVEL ?? "warn";
  const guarded = await guardedPathCost();
  const openFeature = await openFeatureCost();
  return [...guarded, ...openFeature];
}

async function guardedPathCost(): Promise<BenchResult[]> {
  const { getDb } = await import("@/lib/database");
  const { users, subscriptions, projects } = await import("@/db/schema");
  const { renameProject } = await import("@/lib/projects/actions");
  const { resetFlagCacheForTests } = await import("@/lib/flags/store");
  const { recordAuditEvent } = await import("@/lib/audit");
  resetFlagCacheForTests();
  const { seedDemoData } = await import("../scripts/lib/demo-data");
  const db = await getDb();
  // Seed first when the database is empty: the server benches sign in as the demo users, and seeding skips a database that has users.
  await seedDemoData(db);
  const tag = crypto.randomUUID().slice(0, 8);
  const [row] = await db.insert(users).values({ email: `bench-guarded-${tag}@example.test`, name: `Bench ${tag}`, role: "user" }).returning();
  await db.insert(subscriptions).values({ userId: row!.id, plan: "free", currentPeriodEnd: new Date(Date.now() + 86_400_000) });
  const [project] = await db.insert(projects).values({ ownerId: row!.id, name: `Bench ${tag} 0`, description: "" }).returning({ id: projects.id });
  const user = { id: row!.id, email: row!.email, name: row!.name, role: row!.role, status: row!.status };
  // A server action from the app's own page, so the same-origin check runs as it does for a browser.
  const origin = { origin: "http://bench.example.test:3000", secFetchSite: "same-origin", host: "bench.example.test:3000" };
  const request = { user, impersonation: null, system: null, via: "server_action", requestId: "", ip: "198.51.100.7", userAgent: "bench", origin } as const;
  const handler = renameProject.definition.handler as (args: { tx: unknown; user: typeof user; input: { projectId: string; name: string } }) => Promise<unknown>;

  let n = 0;
  const nextName = () => `Bench ${tag} ${++n}`;
  const throughAction = async () => {
    const result = await renameProject.run({ projectId: project!.id, name: nextName() }, { ...request, requestId: crypto.randomUUID() });
    if (!result.ok) throw new Error(`renameProject failed: ${result.code}`);
  };
  const bare = async () => {
    await db.transaction((tx) => handler({ tx, user, input: { projectId: project!.id, name: nextName() } }));
  };
  // Bare plus the one thing the guards write: the audit event, in the same transaction. The rest of the gap is the guards' own cost.
  const bareWithAudit = async () => {
    await db.transaction(async (tx) => {
      const name = nextName();
      const data = (await handler({ tx, user, input: { projectId: project!.id, name } })) as { previousName: string };
      await recordAuditEvent(tx, {
        actor: { type: "user", id: user.id },
        action: "project.rename",
        target: { type: "project", id: project!.id },
        outcome: "success",
        metadata: { before: { name: data.previousName }, after: { name } },
        request: { requestId: crypto.randomUUID(), ip: request.ip, userAgent: request.userAgent },
      });
    });
  };

  const time = async (fn: () => Promise<void>, into: number[]) => {
    for (let i = 0; i < PER_ROUND; i++) {
      const t = performance.now();
      await fn();
      into.push(performance.now() - t);
    }
  };
  // Warm-up: connections, prepared plans, the flag snapshot and the audit chain head.
  await time(throughAction, []);
  await time(bare, []);
  await time(bareWithAudit, []);
  const withGuards: number[] = [];
  const without: number[] = [];
  const withAuditOnly: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    await time(throughAction, withGuards);
    await time(bare, without);
    await time(bareWithAudit, withAuditOnly);
  }
  const p50 = quantile(withGuards, 0.5);
  const p50Bare = quantile(without, 0.5);
  const where = process.env.DATABASE_URL ? "Postgres" : "PGlite";
  const note = `renameProject, ${ROUNDS * PER_ROUND} calls each, rounds interleaved, one after another on ${where}`;
  return [
    {
      name: "guarded path: added time at p50 (defineAction vs bare)",
      value: Number((p50 - p50Bare).toFixed(3)),
      unit: "ms",
      peer: "the same handler in a plain transaction",
      peerValue: Number(p50Bare.toFixed(3)),
      ratio: Number((p50 / p50Bare).toFixed(2)),
      note: `goal ≤ 1 ms added; ${note}; the guarded call also appends its audit event (keyed chain) in the transaction`,
    },
    {
      name: "guarded path: added time at p50 beyond its audit event",
      value: Number((p50 - quantile(withAuditOnly, 0.5)).toFixed(3)),
      unit: "ms",
      peer: "the same handler and audit event in a plain transaction",
      peerValue: Number(quantile(withAuditOnly, 0.5).toFixed(3)),
      ratio: Number((p50 / quantile(withAuditOnly, 0.5)).toFixed(2)),
      note: "what the guards themselves add: session/permission, same-origin, read-only, kill switch, rate limit, input parsing, error classification, outbox",
    },
    { name: "guarded path: renameProject through defineAction, p50", value: Number(p50.toFixed(3)), unit: "ms" },
    { name: "guarded path: renameProject through defineAction, p99", value: Number(quantile(withGuards, 0.99).toFixed(3)), unit: "ms" },
    { name: "guarded path: the same change bare, p99", value: Number(quantile(without, 0.99).toFixed(3)), unit: "ms" },
  ];
}

async function openFeatureCost(): Promise<BenchResult[]> {
  const { BreakwaterFlagProvider } = await import("@/lib/flags/openfeature");
  const { DECLARED_KILL_SWITCHES } = await import("@/lib/flags/kill-switches");
  const { pinFlagSnapshot } = await import("@/lib/flags/store");
  const { getFlagSync } = await import("@/lib/flags/runtime");
  type Def = import("@/lib/flags/model").FlagDefinition;
  // 100 release flags, each a 50 % rollout: what a typical product flag is.
  const keys = Array.from({ length: 100 }, (_, i) => `of_flag_${i}`);
  const state = { enabled: true, targets: [], rules: [], rollout: 50 };
  const defs: Def[] = keys.map((key) => ({
    key,
    kind: "release",
    valueType: "boolean",
    variants: [],
    defaultValue: false,
    offValue: false,
    prerequisites: [],
    seed: "",
    whenUnknown: false,
    environments: { development: state, preview: state, production: state },
  }));
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
  return [
    {
      name: "OpenFeature over Breakwater provider (interleaved)",
      value: Math.round(value),
      unit: "ns",
      peer: "OpenFeature over a constant provider",
      peerValue: Math.round(peerValue),
      ratio: Number((value / peerValue).toFixed(3)),
      note: "goal ratio ≤ 1.05; 100 release flags with a 50 % rollout, 1,000 users; median of 21 interleaved rounds of 5,000 awaited calls",
    },
    {
      name: "OpenFeature: gap to the constant provider vs the evaluation alone",
      value: Math.round(value - peerValue),
      unit: "ns",
      peer: "getFlagSync for the same flags and users (awaited, as the SDK awaits a provider)",
      peerValue: Math.round(quantile(evalNs, 0.5)),
      ratio: Number(((value - peerValue) / quantile(evalNs, 0.5)).toFixed(2)),
      note: "ratio ≈ 1: the provider adds the flag's evaluation and nothing else",
    },
  ];
}
