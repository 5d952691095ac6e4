import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { auditEvents } from "@/db/schema";
import { recordAuditEvent } from "./record";

const ACTION = "flag.env_override";
const PREFIX = "FLAG_";

/** The flag a FLAG_<KEY> variable overrides. */
const flagKeyOf = (variable: string) => variable.slice(PREFIX.length).toLowerCase();

async function latestValue(db: Executor, key: string): Promise<string | null> {
  const [row] = await db
    .select({ metadata: auditEvents.metadata })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, ACTION), eq(auditEvents.targetType, "flag"), eq(auditEvents.targetId, key)))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return typeof row?.metadata.value === "string" ? row.metadata.value : null;
}

/**
 * Writes what a server process serves from FLAG_* overrides into the audit
 * log: one event per override when the process first sees it, and, on a
 * process's first load, a "cleared" event (value null) for an override the
 * log still shows in force but this process no longer has. The flag replay
 * reads these events to apply the override that was in force at a moment.
 */
export async function recordEnvironmentOverrides(
  db: Executor,
  observed: { current: Readonly<Record<string, string>>; fresh: Readonly<Record<string, string>>; firstInProcess: boolean; instanceId: string },
): Promise<void> {
  const actor = { type: "system" as const, id: `instance:${observed.instanceId}` };
  const record = (variable: string, value: string | null) =>
    recordAuditEvent(db, { actor, action: ACTION, target: { type: "flag", id: flagKeyOf(variable) }, outcome: "success", metadata: { variable, value, instance: observed.instanceId } });
  for (const [variable, value] of Object.entries(observed.fresh)) await record(variable, value);
  if (!observed.firstInProcess) return;
  const cleared = await db
    .selectDistinct({ key: auditEvents.targetId })
    .from(auditEvents)
    .where(and(eq(auditEvents.action, ACTION), eq(auditEvents.targetType, "flag")));
  for (const { key } of cleared) {
    if (!key || `${PREFIX}${key.toUpperCase()}` in observed.current) continue;
    if ((await latestValue(db, key)) !== null) await record(`${PREFIX}${key.toUpperCase()}`, null);
  }
}
