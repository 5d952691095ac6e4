import "server-only";
import { and, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { auditEvents } from "@/db/schema";
import { evaluateFlag, overrideName } from "./evaluate";
import { DECLARED_KILL_SWITCHES, isKillSwitch } from "./kill-switches";
import { ENVIRONMENTS, type Environment, type EnvironmentState, type Evaluation, type FlagContext, type FlagDefinition, type Segment, type SegmentCondition } from "./model";

export type Replay = {
  evaluation: Evaluation | null;
  /** The audit event the flag's state at that moment came from (null: the declared default of a kill switch). */
  basedOn: { eventId: number; occurredAt: Date } | null;
  /** What the replay cannot know. */
  caveats: string[];
};

/** `withDefinition`: only events carrying the whole definition; `withAfter`: only events carrying the state after (a decision that applied something). */
async function lastEvent(db: Executor, targetType: string, key: string, actions: string[], at: Date, withDefinition = false, withAfter = false) {
  const [row] = await db
    .select({ id: auditEvents.id, occurredAt: auditEvents.occurredAt, action: auditEvents.action, metadata: auditEvents.metadata })
    .from(auditEvents)
    .where(and(eq(auditEvents.targetType, targetType), eq(auditEvents.targetId, key), inArray(auditEvents.action, actions), eq(auditEvents.outcome, "success"), lte(auditEvents.occurredAt, at), withDefinition ? sql`(${auditEvents.metadata} -> 'definition') is not null` : undefined, withAfter ? sql`(${auditEvents.metadata} -> 'after') is not null` : undefined))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return row ?? null;
}

async function definitionAt(db: Executor, key: string, at: Date): Promise<{ flag: FlagDefinition; basedOn: Replay["basedOn"] } | null> {
  if (isKillSwitch(key)) {
    // A turn-on a second admin approved is recorded as the decision, with the state it applied.
    const event = await lastEvent(db, "flag", key, ["flag.kill_switch", "flag.change_decided"], at, false, true);
    const declared = DECLARED_KILL_SWITCHES.get(key)!;
    if (!event) return { flag: declared, basedOn: null };
    const after = event.metadata.after as { on: boolean; reenableAt: string | null };
    const state: EnvironmentState = { enabled: after.on, reenableAt: after.reenableAt, targets: [], rules: [], rollout: 0 };
    const environments = Object.fromEntries(ENVIRONMENTS.map((e) => [e, state]));
    return { flag: { ...declared, environments }, basedOn: { eventId: event.id, occurredAt: event.occurredAt } };
  }
  const event = await lastEvent(db, "flag", key, ["flag.update", "flag.create", "flag.change_decided"], at, true);
  const d = event?.metadata.definition as Omit<FlagDefinition, "key" | "whenUnknown"> | undefined;
  if (!event || !d) return null;
  return { flag: { ...d, key, whenUnknown: d.offValue }, basedOn: { eventId: event.id, occurredAt: event.occurredAt } };
}

/** The FLAG_* overrides in force at `at`, as instances reported them to the audit log (a null value: cleared). */
async function overridesAt(db: Executor, keys: string[], at: Date): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const event = await lastEvent(db, "flag", key, ["flag.env_override"], at);
    if (typeof event?.metadata.value === "string") out[overrideName(key)] = event.metadata.value;
  }
  return out;
}

/**
 * "What did this user get at time T": rebuilds the flag (its prerequisites
 * and the segments its rules use) from the audit trail as of T and evaluates
 * it for the user with T as the clock.
 */
export async function replayEvaluation(db: Executor, args: { key: string; at: Date; context: FlagContext; environment: Environment }): Promise<Replay> {
  const caveats = [
    "Emergency env overrides (FLAG_*) are applied as the server instances reported them; an instance configured differently from the rest may have served otherwise.",
    "The user's attributes are today's, not those at the time.",
  ];
  const root = await definitionAt(db, args.key, args.at);
  if (!root) return { evaluation: null, basedOn: null, caveats: ["The flag did not exist at that moment.", ...caveats] };
  const flags = new Map<string, FlagDefinition>([[args.key, root.flag]]);
  const segments = new Map<string, Segment>();
  const pending = [root.flag];
  while (pending.length > 0 && flags.size < 50) {
    const flag = pending.pop()!;
    for (const state of Object.values(flag.environments)) {
      for (const rule of state?.rules ?? []) {
        if (!rule.segment || segments.has(rule.segment)) continue;
        const event = await lastEvent(db, "flag_segment", rule.segment, ["flag.segment_save", "flag.change_decided"], args.at, false, true);
        segments.set(rule.segment, { key: rule.segment, conditions: (event?.metadata.after as SegmentCondition[] | undefined) ?? [] });
      }
    }
    for (const p of flag.prerequisites) {
      if (flags.has(p)) continue;
      const found = await definitionAt(db, p, args.at);
      if (found) {
        flags.set(p, found.flag);
        pending.push(found.flag);
      }
    }
  }
  const overrides = await overridesAt(db, [...flags.keys()], args.at);
  const evaluation = evaluateFlag(root.flag, args.context, { environment: args.environment, segments, flags, overrides, version: 0, now: args.at.getTime() });
  return { evaluation: { ...evaluation, version: -1 }, basedOn: root.basedOn, caveats };
}
