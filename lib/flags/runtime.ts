import "server-only";
import { cache } from "react";
import type { SessionUser } from "@/lib/auth";
import { flagOverride, flagOverrides } from "@/lib/env";
import { evaluateFlag, flagShortcut, overrideName, type EvaluateOptions, type FlagShortcut } from "./evaluate";
import { DECLARED_KILL_SWITCHES, KILL_SWITCHES, KILL_SWITCH_KEYS, type KillSwitch } from "./kill-switches";
import type { Evaluation, FlagContext, FlagDefinition } from "./model";
import { currentEnvironment, currentSnapshot, refreshFlagSnapshot, type FlagSnapshot } from "./store";

function optionsFor(snapshot: FlagSnapshot | null, overrides: Readonly<Record<string, string | undefined>>): EvaluateOptions {
  return {
    environment: currentEnvironment(),
    overrides,
    segments: snapshot?.segments,
    flags: snapshot?.flags,
    version: snapshot?.version ?? -1,
  };
}


/** Kill switches carry no user targeting: one evaluation for everyone, from the in-process snapshot. */
function evaluateKillSwitch(key: KillSwitch, override: string | undefined): Evaluation {
  const snapshot = currentSnapshot();
  const flag = snapshot?.flags.get(key) ?? DECLARED_KILL_SWITCHES.get(key)!;
  const overrides = override === undefined ? undefined : { [overrideName(key)]: override };
  return evaluateFlag(flag, {}, optionsFor(snapshot, overrides ?? {}));
}

/**
 * True when the path may run. Synchronous: reads this instance's snapshot as
 * last revalidated (the session lookup and `checkKillSwitch` keep it fresh)
 * and starts a revalidation in the background when it is over a second old.
 */
export function isKillSwitchOn(key: KillSwitch): boolean {
  return evaluateKillSwitch(key, flagOverride(overrideName(key))).value === true;
}

/** Like `isKillSwitchOn`, but revalidates first (at most one version query a second per instance). The guarded path uses this. */
export async function checkKillSwitch(key: KillSwitch): Promise<boolean> {
  await refreshFlagSnapshot();
  return isKillSwitchOn(key);
}

/** `FLAG_<KEY>=<value>` when this process's environment sets an override for the flag, else null. */
export function environmentOverrideOf(key: string): string | null {
  const name = overrideName(key);
  const value = flagOverride(name);
  return value === undefined ? null : `${name}=${value}`;
}

export type KillSwitchState = {
  key: KillSwitch;
  on: boolean;
  description: string;
  message: string;
  /** The runbook this switch declares. */
  runbook: string;
  reason: Evaluation["reason"];
  /** `FLAG_<KEY>=<value>` when this process's environment overrides the stored state, else null. */
  environmentOverride: string | null;
  version: number;
  /** Scheduled automatic turn-back-on, when one is set in this environment. */
  reenableAt: string | null;
  updatedBy: string | null;
  updatedAt: Date | null;
};

/** Every kill switch and whether it is on here, for the status page and admin panel. */
export async function getKillSwitchStates(): Promise<KillSwitchState[]> {
  const snapshot = await refreshFlagSnapshot();
  return KILL_SWITCH_KEYS.map((key) => {
    const result = evaluateKillSwitch(key, flagOverride(overrideName(key)));
    const row = snapshot?.rows.get(key);
    const reenableAt = row?.environments[currentEnvironment()]?.reenableAt ?? null;
    return {
      key,
      on: result.value === true,
      description: KILL_SWITCHES[key].description,
      message: KILL_SWITCHES[key].message,
      runbook: KILL_SWITCHES[key].runbook,
      reason: result.reason,
      environmentOverride: result.reason === "override" ? environmentOverrideOf(key) : null,
      version: result.version,
      reenableAt: result.value === true ? null : reenableAt,
      updatedBy: row?.updatedBy ?? null,
      updatedAt: row?.updatedAt ?? null,
    };
  });
}

/**
 * One flag for one user. `whenUnknown` is the caller's declared value for
 * when this instance has no snapshot or the flag doesn't exist.
 */
export async function getFlag(key: string, context: FlagContext, whenUnknown: unknown): Promise<Evaluation> {
  await refreshFlagSnapshot();
  return getFlagSync(key, context, whenUnknown);
}

// The options every evaluation against one snapshot shares, built once per snapshot rather than once per call.
const snapshotOptions = new WeakMap<FlagSnapshot, EvaluateOptions>();

function optionsOf(snapshot: FlagSnapshot): EvaluateOptions {
  let options = snapshotOptions.get(snapshot);
  if (options === undefined) snapshotOptions.set(snapshot, (options = optionsFor(snapshot, snapshot.overrides)));
  return options;
}

/**
 * Each flag's shortcut (evaluate.ts) under the latest snapshot, made on its
 * first evaluation: a snapshot never changes, so neither do they. Only the
 * latest snapshot's are kept; a reload starts afresh.
 */
let shortcuts: { snapshot: FlagSnapshot; byKey: Map<string, FlagShortcut | null> } | null = null;

/** The flag's shortcut, null when it has none, undefined when the snapshot has no such flag. */
function shortcutFor(snapshot: FlagSnapshot, key: string): FlagShortcut | null | undefined {
  if (shortcuts?.snapshot !== snapshot) shortcuts = { snapshot, byKey: new Map() };
  let shortcut = shortcuts.byKey.get(key);
  if (shortcut === undefined) {
    const flag = snapshot.flags.get(key);
    if (flag === undefined) return undefined;
    shortcuts.byKey.set(key, (shortcut = flagShortcut(flag, optionsOf(snapshot))));
  }
  return shortcut;
}

/** The hot path: no I/O, no await, no allocation but the result. */
export function getFlagSync(key: string, context: FlagContext, whenUnknown: unknown, overrides?: Readonly<Record<string, string | undefined>>): Evaluation {
  const snapshot = currentSnapshot();
  if (snapshot !== null && overrides === undefined) {
    const shortcut = shortcutFor(snapshot, key);
    if (shortcut) return shortcut(context);
  }
  const flag = snapshot?.flags.get(key);
  if (flag === undefined) return evaluateFlag(unknownFlag(key, whenUnknown), context, optionsFor(null, overrides ?? snapshot?.overrides ?? flagOverrides()));
  return evaluateFlag(flag, context, overrides === undefined ? optionsOf(snapshot!) : optionsFor(snapshot!, overrides));
}

function unknownFlag(key: string, whenUnknown: unknown): FlagDefinition {
  return {
    key,
    kind: "ops",
    valueType: typeof whenUnknown === "boolean" ? "boolean" : "json",
    variants: [],
    defaultValue: whenUnknown,
    offValue: whenUnknown,
    environments: {},
    prerequisites: [],
    seed: "",
    whenUnknown,
  };
}

/**
 * Every flag evaluated for one user: values only, never the rules. What
 * client components and the report-a-problem form get.
 */
export async function evaluateAllFlags(context: FlagContext): Promise<Record<string, Evaluation>> {
  const snapshot = await refreshFlagSnapshot();
  // The snapshot's copy of the FLAG_* overrides: reading them from process.env cost more than evaluating every flag.
  const options = snapshot ? optionsOf(snapshot) : optionsFor(null, flagOverrides());
  const out: Record<string, Evaluation> = {};
  const all = snapshot?.flags ?? DECLARED_KILL_SWITCHES;
  for (const [key, flag] of all) out[key] = evaluateFlag(flag, context, options);
  return out;
}

/** Every flag for one visitor, evaluated once per request however many places ask (React's per-request cache). */
const evaluateForVisitorOnce = cache((user: SessionUser | null, anonymousId: string | null) => evaluateAllFlags(flagContextFor(user, { anonymousId })));

/** The current visitor's flags: the anonymous id only matters before sign-in, so signed-in callers share one evaluation. */
export function evaluateFlagsForVisitor(user: SessionUser | null, anonymousId: string | null = null): Promise<Record<string, Evaluation>> {
  return evaluateForVisitorOnce(user, user ? null : anonymousId);
}

/** The evaluation context for a signed-in user; add plan, country and the rest when the caller knows them. */
export function flagContextFor(user: Pick<SessionUser, "id" | "email" | "role"> | null, extra: Omit<FlagContext, "id" | "email" | "role"> & { anonymousId?: string | null } = {}): FlagContext {
  const { anonymousId, ...rest } = extra;
  return user ? { id: user.id, email: user.email, role: user.role, ...rest } : { id: anonymousId ?? null, ...rest };
}

/**
 * For a person's call of `action`: each release flag with a rollout plan
 * that guards it, and whether the caller is inside it (the flag is on for
 * them). The outcome counter records the call under both, so a rollout is
 * judged by its cohort's errors beside everyone else's. No I/O.
 */
export function rolloutCohorts(action: string, user: { id: string; role: string; email?: string | null } | null): { flag: string; inside: boolean }[] {
  const keys = currentSnapshot()?.rolloutGuards?.get(action);
  if (!keys || !user) return [];
  const context: FlagContext = { id: user.id, email: user.email ?? null, role: user.role };
  return keys.map((flag) => ({ flag, inside: getFlagSync(flag, context, false).value === true }));
}
