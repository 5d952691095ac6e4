import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { flagChangeRequests, flags, flagSegments, users, type FlagChangeRequest, type FlagRow } from "@/db/schema";
import { getDb, type Tx } from "@/db/client";
import { recordAuditEvent, type AuditActor } from "@/lib/audit";
import type { NotificationInput } from "@/lib/notifications";
import type { SessionUser } from "@/lib/auth/types";
import { ActionFailure, defineAction, fail, systemContext, type ActionResult } from "@/lib/safety";
import { DECLARED_KILL_SWITCHES, isKillSwitch, type KillSwitch } from "./kill-switches";
import {
  checkFlagConsistency,
  conditionSchema,
  ENVIRONMENTS,
  environmentStateSchema,
  FLAG_KINDS,
  flagKeySchema,
  ruleSchema,
  rolloutSchema,
  VALUE_TYPES,
  variantSchema,
  type EnvironmentState,
  type FlagValueType,
} from "./model";
import { bumpConfigVersion, currentEnvironment, invalidateFlagSnapshot, refreshFlagSnapshot } from "./store";

/** The instance that made a change serves it from the next line on, even to synchronous readers. */
async function reloadHere(): Promise<void> {
  invalidateFlagSnapshot();
  await refreshFlagSnapshot();
}

/** Who may flip a kill switch without a browser session: the ops CLI and automatic kills. */
export const SYSTEM_ACTORS = ["system:cli", "system:auto"] as const;
export type SystemActor = (typeof SYSTEM_ACTORS)[number];

// System callers run the same guarded action as an admin would, under an id no real account can have (ids are uuids).
function systemUser(actor: SystemActor): SessionUser {
  return { id: actor, email: `${actor.replace(":", "-")}@breakwater.invalid`, name: actor, role: "admin", status: "active" };
}

function auditActorFor(user: SessionUser): AuditActor {
  return user.id.startsWith("system:") ? { type: "system", id: user.id.slice("system:".length) } : { type: user.role, id: user.id };
}

const reasonSchema = z.string("Give a reason for this change.").trim().min(3, "Give a reason for this change (at least 3 characters).").max(500, "Keep the reason under 500 characters.");

/** Form checkboxes and selects arrive as strings; programmatic callers pass booleans. */
const onOff = z.union([z.boolean(), z.enum(["on", "off"]).transform((v) => v === "on")], "Choose on or off.");

const futureTime = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === "") return null;
    const t = Date.parse(v);
    if (Number.isNaN(t)) {
      ctx.addIssue({ code: "custom", message: "Enter a valid date and time." });
      return z.NEVER;
    }
    if (t <= Date.now()) {
      ctx.addIssue({ code: "custom", message: "The turn-back-on time must be in the future." });
      return z.NEVER;
    }
    return new Date(t).toISOString();
  });

function jsonText<T extends z.ZodType>(schema: T, label: string) {
  return z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text.trim() === "" ? "null" : text) as unknown;
      } catch {
        ctx.addIssue({ code: "custom", message: `${label} is not valid JSON.` });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

function matchesType(valueType: FlagValueType, value: unknown): boolean {
  if (valueType === "boolean") return typeof value === "boolean";
  if (valueType === "string") return typeof value === "string";
  if (valueType === "number") return typeof value === "number" && Number.isFinite(value);
  return value !== undefined;
}

function killSwitchState(row: Pick<FlagRow, "environments"> | undefined): boolean {
  const state = row?.environments[currentEnvironment()];
  return state ? state.enabled : true;
}

const setKillSwitchInput = z.object({
  key: z.string("Choose a kill switch.").refine(isKillSwitch, "Unknown kill switch."),
  on: onOff,
  reason: reasonSchema,
  /** Only when turning off: turn back on automatically at this time. */
  reenableAt: futureTime.optional(),
});

/** The change itself, shared by the guarded action and the emergency CLI path. */
async function writeKillSwitch(tx: Tx, input: z.output<typeof setKillSwitchInput>, actor: AuditActor, notify?: (n: NotificationInput) => Promise<void>) {
  const key = input.key as KillSwitch;
  const [existing] = await tx.select().from(flags).where(eq(flags.key, key)).for("update");
  const wasOn = killSwitchState(existing);
  const reenableAt = input.on ? null : (input.reenableAt ?? null);
  const environments = Object.fromEntries(
    ENVIRONMENTS.map((e): [string, EnvironmentState] => [e, { enabled: input.on, reenableAt, targets: [], rules: [], rollout: 0 }]),
  );
  const who = `${actor.type}:${actor.id}`;
  if (existing) {
    await tx
      .update(flags)
      .set({ environments, updatedBy: who, updatedAt: new Date(), revision: existing.revision + 1 })
      .where(eq(flags.key, key));
  } else {
    const declared = DECLARED_KILL_SWITCHES.get(key)!;
    await tx.insert(flags).values({
      key,
      kind: "kill_switch",
      valueType: "boolean",
      description: "",
      owner: "ops",
      defaultValue: declared.defaultValue,
      offValue: declared.offValue,
      environments,
      createdBy: who,
      updatedBy: who,
    });
  }
  const version = await bumpConfigVersion(tx);
  if (notify && who === "system:auto" && !input.on && wasOn) {
    // Queued in the outbox: delivered once email works again, and shown in the review list meanwhile.
    const admins = await tx.select({ id: users.id, email: users.email }).from(users).where(and(eq(users.role, "admin"), eq(users.status, "active")));
    for (const a of admins) {
      await notify({ userId: a.id, to: a.email, template: "flag_auto_kill", subject: `Kill switch ${key} was turned off automatically`, body: `${input.reason}\nReview it at /admin/flags.` });
    }
  }
  // Off never waits for anyone; a second admin reviews it afterwards.
  if (!input.on && wasOn) {
    await tx.insert(flagChangeRequests).values({ flagKey: key, kind: "review", environment: "all", payload: { on: false, reenableAt }, reason: input.reason, requestedBy: who });
  }
  return { key, before: { on: wasOn }, after: { on: input.on, reenableAt }, version, actor };
}

// Kill switches turn off at once, everywhere this database serves: an emergency stop never waits for a review or a second admin.
export const setKillSwitchAction = defineAction({
  name: "flags.set_kill_switch",
  permission: "admin:write",
  input: setKillSwitchInput,
  handler: async ({ tx, user, input, notify }) => writeKillSwitch(tx, input, auditActorFor(user), notify),
  afterCommit: reloadHere,
  audit: {
    action: "flag.kill_switch",
    target: (input) => ({ type: "flag", id: input.key }),
    actor: (_, data) => data!.actor,
    metadata: (input, data) => ({ reason: input.reason, before: data?.before, after: data?.after, configVersion: data?.version }),
  },
});

/**
 * The emergency CLI's path: the same validation, change and audit event in
 * one transaction, straight on the database, without the web request
 * machinery (session, rate limits, error reporting) that may be what is down.
 */
export async function setKillSwitchDirect(rawInput: { key: string; on: boolean; reason: string; reenableAt?: string }, actor: SystemActor): Promise<ActionResult<{ key: string; before: { on: boolean }; after: { on: boolean; reenableAt: string | null }; version: number }>> {
  const parsed = setKillSwitchInput.safeParse(rawInput);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? "_form")] ??= issue.message;
    return { ...fail("invalid_input"), fieldErrors };
  }
  const auditActor = auditActorFor(systemUser(actor));
  const db = await getDb();
  const data = await db.transaction(async (tx) => {
    const result = await writeKillSwitch(tx, parsed.data, auditActor);
    await recordAuditEvent(tx, {
      actor: auditActor,
      action: "flag.kill_switch",
      target: { type: "flag", id: parsed.data.key },
      outcome: "success",
      metadata: { reason: parsed.data.reason, before: result.before, after: result.after, configVersion: result.version, via: "cli" },
    });
    return result;
  });
  await reloadHere();
  const { key, before, after, version } = data;
  return { ok: true, data: { key, before, after, version } };
}

/**
 * Flips a kill switch from code: runbook buttons pass the signed-in admin,
 * the ops CLI and automatic kills pass "system:cli" / "system:auto".
 */
export async function setKillSwitch(args: {
  key: KillSwitch;
  on: boolean;
  reason: string;
  actor: SessionUser | SystemActor;
  reenableAt?: string;
  requestId?: string;
}): Promise<ActionResult<{ key: string; before: { on: boolean }; after: { on: boolean; reenableAt: string | null }; version: number }>> {
  const user = typeof args.actor === "string" ? systemUser(args.actor) : args.actor;
  const result = await setKillSwitchAction.run(
    { key: args.key, on: args.on, reason: args.reason, reenableAt: args.reenableAt },
    systemContext({ user, ...(args.requestId ? { requestId: args.requestId } : {}) }),
  );
  if (!result.ok) return result;
  const { key, before, after, version } = result.data;
  return { ok: true, data: { key, before, after, version } };
}

const commaList = z
  .string()
  .default("")
  .transform((s) =>
    s
      .split(",")
      .map((x) => x.trim())
      .filter(Boolean),
  )
  .pipe(z.array(flagKeySchema).max(20));

export const saveFlagInput = z.object({
  key: flagKeySchema,
  /** 0 creates the flag; otherwise the revision the editor loaded (a concurrent edit is refused). */
  revision: z.coerce.number("Missing revision.").int().min(0),
  description: z.string().trim().max(500).default(""),
  kind: z.enum(FLAG_KINDS.filter((k) => k !== "kill_switch") as ["release", "experiment", "ops"], "Kill switches are declared in code; choose release, experiment or ops."),
  owner: z.string().trim().max(100).default(""),
  valueType: z.enum(VALUE_TYPES, "Choose boolean, string, number or json."),
  variants: jsonText(z.array(variantSchema).max(50, "At most 50 variants.").nullable(), "Variants"),
  defaultValue: jsonText(z.unknown(), "Default value"),
  offValue: jsonText(z.unknown(), "Off value"),
  prerequisites: commaList,
  seed: z.string().trim().max(100).default(""),
  reviewBy: z
    .string()
    .trim()
    .default("")
    .refine((v) => v === "" || !Number.isNaN(Date.parse(v)), "Enter a valid review-by date."),
  environment: z.enum(ENVIRONMENTS, "Choose development, preview or production."),
  enabled: onOff,
  rollout: z.union([z.number(), z.string().trim().min(1, "Rollout is required.").transform(Number)]).pipe(rolloutSchema),
  targets: jsonText(environmentStateSchema.shape.targets.nullable(), "Targets"),
  rules: jsonText(z.array(ruleSchema).max(100).nullable(), "Rules"),
  reason: reasonSchema,
});

type SaveFlagInput = z.output<typeof saveFlagInput>;

function stateFrom(input: SaveFlagInput): EnvironmentState {
  return { enabled: input.enabled, reenableAt: null, targets: input.targets ?? [], rules: input.rules ?? [], rollout: Math.round(input.rollout * 1000) / 1000 };
}

/** Who sees what changes: turning a flag off never needs a second pair of eyes; widening or retargeting it in production does. */
function needsSecondAdmin(input: SaveFlagInput, existing: FlagRow | undefined): boolean {
  if (input.environment !== "production" || input.kind === "ops") return false;
  const before = existing?.environments.production;
  const after = stateFrom(input);
  if (!after.enabled) return false;
  const exposure = (s: EnvironmentState | undefined) => JSON.stringify(s ? { enabled: s.enabled, rollout: s.rollout, targets: s.targets, rules: s.rules } : null);
  if (!before) return after.rollout > 0 || after.rules.length > 0 || after.targets.length > 0;
  return exposure(before) !== exposure(after);
}

/** Validates a save against the current row; throws a typed failure, changes nothing. */
async function checkFlagSave(tx: Tx, input: SaveFlagInput): Promise<FlagRow | undefined> {
  if (isKillSwitch(input.key)) throw new ActionFailure("conflict", "That key is a kill switch; change it from the kill switch panel.");
  const variants = input.valueType === "boolean" ? [] : (input.variants ?? []);
  for (const [label, value] of [
    ["Default value", input.defaultValue],
    ["Off value", input.offValue],
    ...variants.map((v) => [`Variant ${v.key}`, v.value] as const),
  ] as const) {
    if (!matchesType(input.valueType, value)) {
      throw new ActionFailure("invalid_input", `${label} must be a ${input.valueType}.`, { fieldErrors: { defaultValue: `${label} must be a ${input.valueType}.` } });
    }
  }
  const [existing] = await tx.select().from(flags).where(eq(flags.key, input.key)).for("update");
  if (input.revision === 0 && existing) throw new ActionFailure("conflict", "A flag with that key already exists.", { fieldErrors: { key: "This key is taken." } });
  if (input.revision > 0 && !existing) throw new ActionFailure("not_found", "That flag doesn't exist.");
  if (existing && existing.revision !== input.revision) throw new ActionFailure("conflict", "Someone changed this flag since you opened it; reload and try again.");
  const environments = { ...(existing?.environments ?? {}), [input.environment]: stateFrom(input) };
  const segmentKeys = new Set((await tx.select({ key: flagSegments.key }).from(flagSegments)).map((s) => s.key));
  const problem = checkFlagConsistency({ key: input.key, valueType: input.valueType, variants, environments, prerequisites: input.prerequisites }, segmentKeys);
  if (problem) throw new ActionFailure("invalid_input", problem, { fieldErrors: { rules: problem } });
  for (const p of input.prerequisites) {
    const [found] = isKillSwitch(p) ? [{ key: p }] : await tx.select({ key: flags.key }).from(flags).where(eq(flags.key, p));
    if (!found) throw new ActionFailure("invalid_input", `Unknown prerequisite flag "${p}".`, { fieldErrors: { prerequisites: `Unknown flag "${p}".` } });
  }
  return existing;
}

async function applyFlagSave(tx: Tx, input: SaveFlagInput, existing: FlagRow | undefined, who: string) {
  const variants = input.valueType === "boolean" ? [] : (input.variants ?? []);
  const state = stateFrom(input);
  const environments = { ...(existing?.environments ?? {}), [input.environment]: state };
  const values = {
    description: input.description,
    kind: input.kind,
    owner: input.owner,
    valueType: input.valueType,
    variants,
    defaultValue: input.defaultValue,
    offValue: input.offValue,
    environments,
    prerequisites: input.prerequisites,
    seed: input.seed,
    reviewBy: input.reviewBy ? new Date(input.reviewBy) : null,
    updatedBy: who,
    updatedAt: new Date(),
  };
  if (existing) {
    await tx.update(flags).set({ ...values, revision: existing.revision + 1 }).where(eq(flags.key, input.key));
  } else {
    await tx.insert(flags).values({ key: input.key, ...values, createdBy: who });
  }
  const version = await bumpConfigVersion(tx);
  const before = existing ? { environment: existing.environments[input.environment] ?? null, defaultValue: existing.defaultValue, variants: existing.variants } : null;
  // The whole definition after the change rides in the audit event, so an evaluation can be replayed for any past moment.
  const definition = { kind: input.kind, valueType: input.valueType, variants, defaultValue: input.defaultValue, offValue: input.offValue, environments, prerequisites: input.prerequisites, seed: input.seed };
  return { created: !existing, before, after: { environment: state, defaultValue: input.defaultValue, variants }, definition, version };
}

// Release, experiment and ops flags: one environment's state per save, with every field re-validated as a whole.
// Widening or retargeting a release/experiment in production waits for a second admin (flags.decide_change).
export const saveFlagAction = defineAction({
  name: "flags.save",
  permission: "admin:write",
  input: saveFlagInput,
  handler: async ({ tx, user, input }) => {
    const existing = await checkFlagSave(tx, input);
    const actor = auditActorFor(user);
    const who = `${actor.type}:${actor.id}`;
    if (needsSecondAdmin(input, existing)) {
      const [request] = await tx
        .insert(flagChangeRequests)
        .values({ flagKey: input.key, kind: "approval", environment: input.environment, payload: input as unknown as Record<string, unknown>, reason: input.reason, requestedBy: who })
        .returning({ id: flagChangeRequests.id });
      return { key: input.key, pendingApproval: request!.id, created: false, before: null, after: { requested: stateFrom(input) }, definition: undefined, version: undefined, actor };
    }
    const applied = await applyFlagSave(tx, input, existing, who);
    return { key: input.key, pendingApproval: null as string | null, ...applied, actor };
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.update",
    target: (input) => ({ type: "flag", id: input.key }),
    actor: (_, data) => data!.actor,
    metadata: (input, data) => ({
      reason: input.reason,
      environment: input.environment,
      created: data?.created,
      pendingApproval: data?.pendingApproval ?? undefined,
      before: data?.before,
      after: data?.after,
      definition: data?.definition,
      configVersion: data?.version,
    }),
  },
});

// The second pair of eyes: approve or reject a waiting production change, or sign off a kill switch that was turned off.
export const decideChangeAction = defineAction({
  name: "flags.decide_change",
  permission: "admin:write",
  input: z.object({
    requestId: z.string().uuid("Unknown change request."),
    decision: z.enum(["approve", "reject"], "Choose approve or reject."),
    reason: reasonSchema,
  }),
  handler: async ({ tx, user, input }) => {
    const [request] = await tx.select().from(flagChangeRequests).where(eq(flagChangeRequests.id, input.requestId)).for("update");
    if (!request) throw new ActionFailure("not_found", "That change request doesn't exist.");
    if (request.status !== "pending") throw new ActionFailure("conflict", "That change request was already decided.");
    const actor = auditActorFor(user);
    const who = `${actor.type}:${actor.id}`;
    if (request.requestedBy === who) throw new ActionFailure("forbidden", "A second admin must decide on this change, not the one who made it.");
    let applied: Awaited<ReturnType<typeof applyFlagSave>> | null = null;
    let status: FlagChangeRequest["status"] = input.decision === "approve" ? "applied" : "rejected";
    if (request.kind === "review") status = input.decision === "approve" ? "reviewed" : "rejected";
    if (request.kind === "approval" && input.decision === "approve") {
      // Stored as validated output when the request was made; re-checked below against today's row.
      const change = request.payload as unknown as SaveFlagInput;
      // An approval never applies over a change made since the request (revision check).
      const existing = await checkFlagSave(tx, change);
      applied = await applyFlagSave(tx, change, existing, request.requestedBy);
    }
    await tx
      .update(flagChangeRequests)
      .set({ status, decidedBy: who, decidedAt: new Date(), decisionNote: input.reason })
      .where(eq(flagChangeRequests.id, request.id));
    return { key: request.flagKey, kind: request.kind, status, requestedBy: request.requestedBy, definition: applied?.definition, after: applied?.after, version: applied?.version, actor };
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.change_decided",
    target: (_, data) => ({ type: "flag", id: data?.key ?? null }),
    actor: (_, data) => data!.actor,
    metadata: (input, data) => ({
      reason: input.reason,
      requestId: input.requestId,
      kind: data?.kind,
      status: data?.status,
      requestedBy: data?.requestedBy,
      after: data?.after,
      definition: data?.definition,
      configVersion: data?.version,
    }),
  },
});

export const saveSegmentAction = defineAction({
  name: "flags.save_segment",
  permission: "admin:write",
  input: z.object({
    key: flagKeySchema,
    description: z.string().trim().max(500).default(""),
    conditions: jsonText(z.array(conditionSchema).min(1, "A segment needs at least one condition.").max(50), "Conditions"),
    reason: reasonSchema,
  }),
  handler: async ({ tx, user, input }) => {
    const actor = auditActorFor(user);
    const [existing] = await tx.select().from(flagSegments).where(eq(flagSegments.key, input.key)).for("update");
    const values = { description: input.description, conditions: input.conditions, updatedBy: `${actor.type}:${actor.id}`, updatedAt: new Date() };
    if (existing) await tx.update(flagSegments).set(values).where(eq(flagSegments.key, input.key));
    else await tx.insert(flagSegments).values({ key: input.key, ...values });
    const version = await bumpConfigVersion(tx);
    return { key: input.key, before: existing?.conditions ?? null, after: input.conditions, version, actor };
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.segment_save",
    target: (input) => ({ type: "flag_segment", id: input.key }),
    actor: (_, data) => data!.actor,
    metadata: (input, data) => ({ reason: input.reason, before: data?.before, after: data?.after, configVersion: data?.version }),
  },
});
