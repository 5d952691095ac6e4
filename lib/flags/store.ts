import "server-only";
import { eq, sql } from "drizzle-orm";
import { getDb, type Executor } from "@/lib/database";
import { flagConfigVersion, flagInstances, flagRollouts, flags, flagSegments, type FlagRow } from "@/db/schema";
import { env, flagOverrides } from "@/lib/env";
import { logger } from "@/lib/observability";
import { DECLARED_KILL_SWITCHES, KILL_SWITCHES, isKillSwitch } from "./kill-switches";
import type { Environment, FlagDefinition, Segment } from "./model";

/**
 * This instance's copy of the flag configuration, stamped with the config
 * version it was read at. Evaluations read it synchronously; it is
 * revalidated on demand — against the one-row version counter at most once
 * a second, or for free when the session lookup already read the version —
 * never by a timer, so an idle serverless instance stays idle. Reads go
 * straight to the database (never through fetch), so Next's data cache
 * never holds a flag value.
 */
export type FlagSnapshot = {
  version: number;
  /** Stored flags plus declared kill switches nobody has touched yet. */
  flags: ReadonlyMap<string, FlagDefinition>;
  segments: ReadonlyMap<string, Segment>;
  /** The stored rows, for the admin pages. */
  rows: ReadonlyMap<string, FlagRow>;
  /** FLAG_* overrides, read once per reload rather than on every evaluation. */
  overrides: Readonly<Record<string, string>>;
  /** Action name → the release flags with a rollout plan that action's outcomes judge. */
  rolloutGuards?: ReadonlyMap<string, readonly string[]>;
  loadedAt: number;
};

/**
 * How stale the snapshot may be before a request checks the version counter.
 * A signed-in request learns the version with its session lookup; an
 * anonymous one sees a kill switch within this interval plus its own time
 * (the goal is 1 s at p99; at 1 s the interval alone used up the goal). The
 * check is one single-flight query per interval per instance.
 */
export const FLAG_REVALIDATE_MS = 500;

/**
 * Told what FLAG_* overrides this process serves: once when it first loads
 * the flags, and again for any it had not reported. The composition root
 * (lib/procedures.ts) hands in the audit log's recorder; flags cannot
 * import the audit log itself (that would be an import cycle).
 */
export type OverrideObserver = (db: Executor, observed: { current: Readonly<Record<string, string>>; fresh: Readonly<Record<string, string>>; firstInProcess: boolean; instanceId: string }) => Promise<void>;

type CacheState = {
  snapshot: FlagSnapshot | null;
  overrideObserver?: OverrideObserver;
  /** Overrides already reported by this process (variable → value); null until the first report. */
  reportedOverrides?: Map<string, string> | null;
  /** Last moment the version counter was known (read here or by the session lookup). */
  checkedAt: number;
  /** Newest version seen; a snapshot older than it must be reloaded. */
  knownVersion: number;
  inflight: Promise<FlagSnapshot | null> | null;
  instanceId: string;
};

// Survives Next's dev-mode module reloads, like the db handle.
const globalForFlags = globalThis as unknown as { breakwaterFlags?: CacheState };
const state: CacheState = (globalForFlags.breakwaterFlags ??= {
  snapshot: null,
  checkedAt: 0,
  knownVersion: -1,
  inflight: null,
  // Shown on the public flag-state endpoint: a region and random characters, nothing about the host or process.
  instanceId: `${env.VERCEL_REGION ?? "local"}-${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`,
});

export function observeEnvironmentOverrides(observer: OverrideObserver): void {
  state.overrideObserver = observer;
}

/** Reports overrides this process has not reported yet; a failure is retried at the next reload. */
async function reportOverrides(db: Executor, current: Readonly<Record<string, string>>): Promise<void> {
  const observer = state.overrideObserver;
  if (!observer) return;
  const reported = state.reportedOverrides ?? null;
  const fresh = Object.fromEntries(Object.entries(current).filter(([name, value]) => reported?.get(name) !== value));
  if (reported && Object.keys(fresh).length === 0) return;
  try {
    await observer(db, { current, fresh, firstInProcess: !reported, instanceId: state.instanceId });
    state.reportedOverrides = new Map([...(reported ?? []), ...Object.entries(fresh)]);
  } catch (error) {
    logger.warn({ err: error }, "could not record the environment's flag overrides");
  }
}

export function currentEnvironment(): Environment {
  return env.appEnv;
}

export function instanceId(): string {
  return state.instanceId;
}

/** The snapshot as last revalidated (null before the first load). Never waits. */
export function currentSnapshot(): FlagSnapshot | null {
  if (!state.snapshot || Date.now() - state.checkedAt >= FLAG_REVALIDATE_MS) void refreshFlagSnapshot();
  return state.snapshot;
}

/**
 * Called by the session lookup with the version it read in the same query as
 * the user: a signed-in request that starts after a change commits sees it.
 */
export function noteFlagConfigVersion(version: number | null | undefined): void {
  if (typeof version !== "number") return;
  state.checkedAt = Date.now();
  if (version > state.knownVersion) state.knownVersion = version;
}

/** Makes the next read reload (after this instance changed a flag). */
export function invalidateFlagSnapshot(): void {
  state.checkedAt = 0;
  state.knownVersion = Number.MAX_SAFE_INTEGER;
}

/**
 * A fresh-enough snapshot, or the last known one when the store can't be reached, or null with none.
 * `maxAgeMs` lets a caller that must notice changes sooner (the status snapshot) check the version
 * counter more often than that; it is still one single-flight query per interval.
 */
export async function refreshFlagSnapshot(maxAgeMs: number = FLAG_REVALIDATE_MS): Promise<FlagSnapshot | null> {
  const snap = state.snapshot;
  const fresh = snap && Date.now() - state.checkedAt < Math.min(maxAgeMs, FLAG_REVALIDATE_MS);
  if (fresh && snap.version >= state.knownVersion) return snap;
  state.inflight ??= revalidate(Boolean(fresh)).finally(() => {
    state.inflight = null;
  });
  return state.inflight;
}

async function revalidate(versionKnown: boolean): Promise<FlagSnapshot | null> {
  try {
    const db = await getDb();
    if (!versionKnown) {
      const version = await readConfigVersion(db);
      state.checkedAt = Date.now();
      state.knownVersion = version;
      if (state.snapshot && state.snapshot.version === version) return state.snapshot;
    }
    state.snapshot = await loadSnapshot(db);
    state.checkedAt = Date.now();
    state.knownVersion = state.snapshot.version;
    await reportOverrides(db, state.snapshot.overrides);
    await recordInstanceVersion(db, state.snapshot.version).catch((error: unknown) => logger.warn({ err: error }, "could not record flag instance version"));
    return state.snapshot;
  } catch (error) {
    // Keep serving the last snapshot; try again in a second rather than on every call.
    state.checkedAt = Date.now();
    if (state.snapshot) state.knownVersion = state.snapshot.version;
    logger.warn({ err: error }, "flag store unreachable; serving the last known snapshot");
    return state.snapshot;
  }
}

export async function readConfigVersion(db: Executor): Promise<number> {
  const [row] = await db.select({ version: flagConfigVersion.version }).from(flagConfigVersion).where(eq(flagConfigVersion.id, 1));
  return row?.version ?? 0;
}

/** Bumps the config version; call in the same transaction as the change. */
export async function bumpConfigVersion(tx: Executor): Promise<number> {
  const [row] = await tx
    .insert(flagConfigVersion)
    .values({ id: 1, version: 1 })
    .onConflictDoUpdate({ target: flagConfigVersion.id, set: { version: sql`${flagConfigVersion.version} + 1`, changedAt: new Date() } })
    .returning({ version: flagConfigVersion.version });
  return row!.version;
}

export async function loadSnapshot(db: Executor): Promise<FlagSnapshot> {
  // Version first: rows read after it are at least that new, so a change racing this read triggers one more reload, never a missed one.
  const version = await readConfigVersion(db);
  const [rows, segmentRows, plans] = await Promise.all([
    db.select().from(flags),
    db.select().from(flagSegments),
    db.select({ flagKey: flagRollouts.flagKey, guards: flagRollouts.guards }).from(flagRollouts),
  ]);
  const definitions = new Map<string, FlagDefinition>(DECLARED_KILL_SWITCHES);
  const byKey = new Map<string, FlagRow>();
  for (const row of rows) {
    definitions.set(row.key, rowToDefinition(row));
    byKey.set(row.key, row);
  }
  const segments = new Map(segmentRows.map((s) => [s.key, { key: s.key, conditions: s.conditions }]));
  const rolloutGuards = new Map<string, string[]>();
  for (const plan of plans) for (const action of plan.guards) rolloutGuards.set(action, [...(rolloutGuards.get(action) ?? []), plan.flagKey]);
  return { version, flags: definitions, segments, rows: byKey, overrides: flagOverrides(), rolloutGuards, loadedAt: Date.now() };
}

export function rowToDefinition(row: FlagRow): FlagDefinition {
  return {
    key: row.key,
    kind: row.kind,
    valueType: row.valueType,
    variants: row.variants,
    defaultValue: row.defaultValue,
    offValue: row.offValue,
    environments: row.environments,
    prerequisites: row.prerequisites,
    seed: row.seed,
    whenUnknown: isKillSwitch(row.key) ? KILL_SWITCHES[row.key].whenUnknown : row.offValue,
  };
}

/** For the propagation view: which version this instance serves. One small write per reload, none per request. */
async function recordInstanceVersion(db: Executor, version: number): Promise<void> {
  await db
    .insert(flagInstances)
    .values({ instanceId: state.instanceId, version, seenAt: new Date() })
    .onConflictDoUpdate({ target: flagInstances.instanceId, set: { version, seenAt: new Date() } });
}

/** Benchmarks and tests: serve this snapshot and never revalidate it (no database needed). */
export function pinFlagSnapshot(snapshot: FlagSnapshot): void {
  state.snapshot = snapshot;
  state.knownVersion = snapshot.version;
  state.checkedAt = Number.MAX_SAFE_INTEGER;
}

/** Test hook: forget everything this process knows. */
export function resetFlagCacheForTests(): void {
  state.snapshot = null;
  state.checkedAt = 0;
  state.knownVersion = -1;
  state.inflight = null;
}
