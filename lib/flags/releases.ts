import "server-only";
import { and, desc, eq, gte } from "drizzle-orm";
import { getDb, type Executor } from "@/lib/database";
import { deploys, flagInstances, flags } from "@/db/schema";
import { env } from "@/lib/env";
import { logger } from "@/lib/observability";
import type { Environment } from "./model";

/**
 * Notes the first start of this app version (later starts of the same
 * version keep the first moment), so "since the last deploy" needs no input
 * from the operator. Never throws: a start must not fail over bookkeeping.
 */
export async function recordDeployStart(version = env.appVersion, at = new Date()): Promise<void> {
  try {
    const db = await getDb();
    await db.insert(deploys).values({ version, startedAt: at }).onConflictDoNothing({ target: deploys.version });
  } catch (error) {
    logger.warn({ err: error, version }, "could not record this deploy's start");
  }
}

/** The newest deploy's version and first start, or null when none was recorded. */
export async function lastDeploy(db: Executor): Promise<{ version: string; startedAt: Date } | null> {
  const [row] = await db.select().from(deploys).orderBy(desc(deploys.startedAt)).limit(1);
  return row ?? null;
}

export type ReleaseChange = { key: string; enabled: boolean; rollout: number; updatedAt: Date; updatedBy: string };

/** Release flags changed at or after `since`, with their state in `environment`, oldest change first. */
export async function releaseFlagsChangedSince(db: Executor, since: Date, environment: Environment): Promise<ReleaseChange[]> {
  const rows = await db
    .select()
    .from(flags)
    .where(and(eq(flags.kind, "release"), gte(flags.updatedAt, since)))
    .orderBy(flags.updatedAt);
  return rows.map((row) => {
    const state = row.environments[environment];
    return { key: row.key, enabled: state?.enabled ?? false, rollout: state?.rollout ?? 0, updatedAt: row.updatedAt, updatedBy: row.updatedBy };
  });
}

/** The config version each instance seen within `withinMs` last served. */
export async function liveInstanceVersions(db: Executor, withinMs: number): Promise<{ instanceId: string; version: number; seenAt: Date }[]> {
  return db
    .select()
    .from(flagInstances)
    .where(gte(flagInstances.seenAt, new Date(Date.now() - withinMs)))
    .orderBy(flagInstances.instanceId);
}

/** A flag's stored state in one environment, read straight from the database (never the snapshot). */
export async function findFlagState(db: Executor, key: string, environment: Environment) {
  const [row] = await db.select({ environments: flags.environments }).from(flags).where(eq(flags.key, key));
  return row?.environments[environment] ?? null;
}
