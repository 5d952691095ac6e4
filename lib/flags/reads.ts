import "server-only";
import { and, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { auditEvents, flagChangeRequests, flagInstances, flagRollouts, flags, flagSegments, subscriptions, users } from "@/db/schema";
import { readConfigVersion } from "./store";

/** Admin reads go straight to the database: an admin page must never show a cached flag. */
export async function listFlagRows(db: Executor) {
  return db.select().from(flags).orderBy(flags.key);
}

export async function findFlagRow(db: Executor, key: string) {
  const [row] = await db.select().from(flags).where(eq(flags.key, key));
  return row ?? null;
}

export async function listSegments(db: Executor) {
  return db.select().from(flagSegments).orderBy(flagSegments.key);
}

/** Every recorded change to a flag, newest first, from the audit trail. */
export async function flagHistory(db: Executor, key: string, limit = 100) {
  return db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      action: auditEvents.action,
      outcome: auditEvents.outcome,
      metadata: auditEvents.metadata,
    })
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, "flag"), eq(auditEvents.targetId, key), inArray(auditEvents.action, ["flag.create", "flag.update", "flag.kill_switch", "flag.change_decided", "flag.rollout_plan", "flag.rollout_advance"])))
    .orderBy(desc(auditEvents.id))
    .limit(limit);
}

/** Who changed each kill switch last (an email, or the job or tool), and why: from its latest successful change, by key. */
export async function lastKillSwitchChanges(db: Executor, keys: readonly string[]): Promise<Map<string, { who: string; why: string | null }>> {
  const rows = await db
    .selectDistinctOn([auditEvents.targetId], { key: auditEvents.targetId, actorId: auditEvents.actorId, email: users.email, metadata: auditEvents.metadata })
    .from(auditEvents)
    .leftJoin(users, eq(sql`${users.id}::text`, auditEvents.actorId))
    .where(and(eq(auditEvents.targetType, "flag"), inArray(auditEvents.targetId, [...keys]), eq(auditEvents.action, "flag.kill_switch"), eq(auditEvents.outcome, "success")))
    .orderBy(auditEvents.targetId, desc(auditEvents.id));
  return new Map(
    rows.flatMap((r) => (r.key ? [[r.key, { who: r.email ?? r.actorId ?? "unknown", why: typeof r.metadata.reason === "string" ? r.metadata.reason : null }] as const] : [])),
  );
}

/** Instances that served flags recently and the config version each one last loaded. */
export async function recentInstances(db: Executor, withinMs = 15 * 60_000) {
  const [current, instances] = await Promise.all([
    readConfigVersion(db),
    db
      .select()
      .from(flagInstances)
      .where(gte(flagInstances.seenAt, new Date(Date.now() - withinMs)))
      .orderBy(desc(flagInstances.seenAt))
      .limit(50),
  ]);
  return { current, instances };
}

/** A flag past its review-by date is flagged stale in the admin list. */
export function isStale(reviewBy: Date | null, now = new Date()): boolean {
  return reviewBy !== null && reviewBy.getTime() < now.getTime();
}

/** The attributes a replay evaluates with (today's values: attributes are not versioned). */
export async function findUserForReplay(db: Executor, email: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, role: users.role, createdAt: users.createdAt, plan: subscriptions.plan })
    .from(users)
    .leftJoin(subscriptions, eq(subscriptions.userId, users.id))
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row ?? null;
}

/** Changes waiting for a second admin, oldest first. */
export async function pendingChangeRequests(db: Executor) {
  return db.select().from(flagChangeRequests).where(eq(flagChangeRequests.status, "pending")).orderBy(flagChangeRequests.createdAt).limit(100);
}

/** A flag's rollout plan, or null. */
export async function findRolloutPlan(db: Executor, key: string) {
  const [row] = await db.select().from(flagRollouts).where(eq(flagRollouts.flagKey, key));
  return row ?? null;
}
