import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { flagChangeRequests, flags, flagSegments, type FlagChangeRequest, type FlagRow } from "@/db/schema";
import type { Tx } from "@/lib/database";
import { budgetFreeze } from "@/lib/alerts";
import { actorLabel, actorOf } from "@/lib/audit";
import { assertSecondAdmin } from "@/lib/auth";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { outstandingGaBlocking } from "@/lib/status";
import { EDITABLE_FLAG_KINDS } from "../constants";
import { isKillSwitch, type KillSwitch } from "../kill-switches";
import {
  checkFlagConsistency,
  ENVIRONMENTS,
  environmentStateSchema,
  flagKeySchema,
  ruleSchema,
  rolloutSchema,
  VALUE_TYPES,
  variantSchema,
  type EnvironmentState,
  type FlagValueType,
} from "../model";
import { bumpConfigVersion } from "../store";
import { writeKillSwitch } from "./kill-switch";
import { applyRolloutPhase, type RolloutPhasePayload } from "./rollout";
import { applySegmentApproval, type SegmentChangePayload } from "./segment";
import { jsonText, onOff, reasonSchema, reloadHere } from "./shared";

function matchesType(valueType: FlagValueType, value: unknown): boolean {
  if (valueType === "boolean") return typeof value === "boolean";
  if (valueType === "string") return typeof value === "string";
  if (valueType === "number") return typeof value === "number" && Number.isFinite(value);
  return value !== undefined;
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
  kind: z.enum(EDITABLE_FLAG_KINDS, "Kill switches are declared in code; choose release, experiment or ops."),
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
  /** Ship this widening despite the error-budget freeze (an unticked box sends nothing). */
  overrideFreeze: onOff.default(false),
  reason: reasonSchema,
});

type SaveFlagInput = z.output<typeof saveFlagInput>;

function stateFrom(input: SaveFlagInput): EnvironmentState {
  return { enabled: input.enabled, reenableAt: null, targets: input.targets ?? [], rules: input.rules ?? [], rollout: Math.round(input.rollout * 1000) / 1000 };
}

/**
 * Who sees what changes: turning a flag off never needs a second pair of
 * eyes; widening or retargeting it in production does, whatever its kind.
 * An ops flag's values are operating settings: changing them while it is on
 * in production needs the second admin too. The kind is read from the stored
 * flag, never from the input, and relabelling is itself a change a second
 * admin approves.
 */
function needsSecondAdmin(input: SaveFlagInput, existing: FlagRow | undefined): boolean {
  const storedKind = existing?.kind ?? input.kind;
  if (existing && input.kind !== storedKind) return true;
  if (input.environment !== "production") return false;
  const before = existing?.environments.production;
  const after = stateFrom(input);
  if (!after.enabled) return false;
  const values = (f: { defaultValue: unknown; offValue: unknown; variants: unknown }) => JSON.stringify([f.defaultValue, f.offValue, f.variants]);
  if (storedKind === "ops" && existing && values(existing) !== values({ ...input, variants: input.valueType === "boolean" ? [] : (input.variants ?? []) })) return true;
  const exposure = (s: EnvironmentState | undefined) => JSON.stringify(s ? { enabled: s.enabled, rollout: s.rollout, targets: s.targets, rules: s.rules } : null);
  if (!before) return after.rollout > 0 || after.rules.length > 0 || after.targets.length > 0;
  return exposure(before) !== exposure(after);
}

/**
 * A release reaches everyone in production only once the service is ready
 * for everyone: every GA-blocking readiness item signed off and unexpired
 * (/admin/readiness). Checked when the change is asked for and again when a
 * second admin applies it. Steps below 100 % are not held.
 */
async function refuseFullReleaseBeforeReadiness(tx: Tx, input: SaveFlagInput, existing: FlagRow | undefined): Promise<void> {
  if (input.environment !== "production" || (existing?.kind ?? input.kind) !== "release") return;
  const after = stateFrom(input);
  const before = existing?.environments.production;
  if (!after.enabled || after.rollout < 100 || (before?.enabled && before.rollout >= 100)) return;
  const outstanding = await outstandingGaBlocking(tx);
  if (outstanding.length === 0) return;
  const names = outstanding.map((a) => `${a.title}${a.expired ? " (expired)" : ""}`).join("; ");
  throw new ActionFailure("conflict", `A release goes to 100 % in production only when every GA-blocking readiness item is signed off. Outstanding: ${names}. Sign them off at /admin/readiness, or hold the rollout below 100 %.`, {
    fieldErrors: { rollout: "Readiness is not signed off: hold below 100 %." },
  });
}

/**
 * Whether a production save lets more people see the flag than before:
 * turning it on, a larger rollout, or different targets or rules (a release's
 * new values count too). Turning off and rolling back never do.
 */
function widensProduction(input: SaveFlagInput, existing: FlagRow | undefined): boolean {
  if (input.environment !== "production") return false;
  const before = existing?.environments.production;
  const after = stateFrom(input);
  if (!after.enabled) return false;
  const reachesAnyone = (s: EnvironmentState) => s.rollout > 0 || s.targets.length > 0 || s.rules.length > 0;
  if (!before?.enabled) return reachesAnyone(after);
  if (after.rollout > before.rollout) return true;
  if (JSON.stringify([before.targets, before.rules]) !== JSON.stringify([after.targets, after.rules])) return true;
  const values = (f: { defaultValue: unknown; offValue: unknown }) => JSON.stringify([f.defaultValue, f.offValue]);
  return (existing?.kind ?? input.kind) === "release" && existing !== undefined && values(existing) !== values(input);
}

/**
 * The error-budget policy: while an SLO's budget is exhausted (its alert is
 * open), a production widening needs `overrideFreeze`, and the override is
 * returned so the audit event records which budgets it overrode. Checked
 * when the change is asked for and again when a second admin applies it.
 */
async function checkBudgetFreeze(tx: Tx, input: SaveFlagInput, existing: FlagRow | undefined): Promise<string[] | undefined> {
  if (!widensProduction(input, existing)) return undefined;
  const frozen = await budgetFreeze(tx);
  if (frozen.length === 0) return undefined;
  if (input.overrideFreeze) return frozen.map((f) => f.slo);
  const titles = frozen.map((f) => f.title).join("; ");
  throw new ActionFailure(
    "conflict",
    `The error budget is exhausted for ${titles}, so the error-budget policy freezes releases in production: only reliability fixes, security fixes and rollbacks ship. Roll back freely; to widen anyway, tick "Override the freeze" and say why.`,
    { fieldErrors: { overrideFreeze: "Error-budget freeze in force: override it explicitly to widen." } },
  );
}

/** Validates a save against the current row; throws a typed failure, changes nothing. */
async function checkFlagSave(tx: Tx, input: SaveFlagInput): Promise<{ existing: FlagRow | undefined; freezeOverridden: string[] | undefined }> {
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
  await refuseFullReleaseBeforeReadiness(tx, input, existing);
  return { existing, freezeOverridden: await checkBudgetFreeze(tx, input, existing) };
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
  handler: async ({ tx, request, input }) => {
    const { existing, freezeOverridden } = await checkFlagSave(tx, input);
    const who = actorLabel(actorOf(request));
    if (needsSecondAdmin(input, existing)) {
      const [pending] = await tx
        .insert(flagChangeRequests)
        .values({ flagKey: input.key, kind: "approval", environment: input.environment, payload: input as unknown as Record<string, unknown>, reason: input.reason, requestedBy: who })
        .returning({ id: flagChangeRequests.id });
      return { key: input.key, pendingApproval: pending!.id, created: false, before: null, after: { requested: stateFrom(input) }, definition: undefined, version: undefined, freezeOverridden };
    }
    const applied = await applyFlagSave(tx, input, existing, who);
    return { key: input.key, pendingApproval: null as string | null, ...applied, freezeOverridden };
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.update",
    target: ({ input }) => ({ type: "flag", id: input.key }),
    metadata: ({ input, data }) => ({
      reason: input.reason,
      environment: input.environment,
      created: data?.created,
      pendingApproval: data?.pendingApproval ?? undefined,
      before: data?.before,
      after: data?.after,
      definition: data?.definition,
      configVersion: data?.version,
      freezeOverridden: data?.freezeOverridden,
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
  handler: async ({ tx, user, request: caller, input }) => {
    const [request] = await tx.select().from(flagChangeRequests).where(eq(flagChangeRequests.id, input.requestId)).for("update");
    if (!request) throw new ActionFailure("not_found", "That change request doesn't exist.");
    if (request.status !== "pending") throw new ActionFailure("conflict", "That change request was already decided.");
    const who = actorLabel(actorOf(caller));
    // Not the requester, and not an admin promoted around the time of the request (lib/auth/approvals.ts).
    await assertSecondAdmin(tx, { id: user.id, label: who }, request);
    let applied: Awaited<ReturnType<typeof applyFlagSave>> | null = null;
    let freezeOverridden: string[] | undefined;
    let version: number | undefined;
    let appliedState: unknown;
    let definition: unknown;
    let target = { type: "flag", id: request.flagKey };
    let status: FlagChangeRequest["status"] = input.decision === "approve" ? "applied" : "rejected";
    if (request.kind === "review") status = input.decision === "approve" ? "reviewed" : "rejected";
    const change = (request.payload as { change?: string }).change;
    if (request.kind === "approval" && input.decision === "approve" && change === "kill_switch_on") {
      ({ version, after: appliedState } = await writeKillSwitch(tx, { key: request.flagKey as KillSwitch, on: true, reason: request.reason }, request.requestedBy, false));
    } else if (request.kind === "approval" && input.decision === "approve" && change === "segment") {
      const payload = request.payload as unknown as SegmentChangePayload;
      version = await applySegmentApproval(tx, payload, request.requestedBy);
      appliedState = payload.conditions;
      target = { type: "flag_segment", id: payload.key };
    } else if (request.kind === "approval" && input.decision === "approve" && change === "rollout_phase") {
      ({ version, definition, after: appliedState } = await applyRolloutPhase(tx, request.flagKey, request.payload as unknown as RolloutPhasePayload, request.requestedBy));
    } else if (request.kind === "approval" && input.decision === "approve") {
      // Stored as validated output when the request was made; re-checked below against today's row.
      const change = request.payload as unknown as SaveFlagInput;
      // An approval never applies over a change made since the request (revision check).
      const checked = await checkFlagSave(tx, change);
      freezeOverridden = checked.freezeOverridden;
      applied = await applyFlagSave(tx, change, checked.existing, request.requestedBy);
    }
    await tx
      .update(flagChangeRequests)
      .set({ status, decidedBy: who, decidedAt: new Date(), decisionNote: input.reason })
      .where(eq(flagChangeRequests.id, request.id));
    return {
      key: request.flagKey,
      target,
      kind: request.kind,
      status,
      requestedBy: request.requestedBy,
      definition: applied?.definition ?? definition,
      after: applied?.after ?? appliedState,
      version: applied?.version ?? version,
      freezeOverridden,
    };
  },
  afterCommit: reloadHere,
  audit: {
    action: "flag.change_decided",
    target: ({ data }) => data?.target ?? { type: "flag", id: null },
    metadata: ({ input, data }) => ({
      reason: input.reason,
      requestId: input.requestId,
      kind: data?.kind,
      status: data?.status,
      requestedBy: data?.requestedBy,
      after: data?.after,
      definition: data?.definition,
      configVersion: data?.version,
      freezeOverridden: data?.freezeOverridden,
    }),
  },
});
