import { bucketFrom, hashState } from "./hash";
import type { Environment, EnvironmentState, Evaluation, FlagContext, FlagDefinition, FlagRule, Segment, SegmentCondition } from "./model";

export type EvaluateOptions = {
  environment: Environment;
  /** Emergency overrides, `FLAG_<KEY>=on|off|<variant>` (normally a copy of process.env's FLAG_* entries). */
  overrides?: Readonly<Record<string, string | undefined>>;
  segments?: ReadonlyMap<string, Segment>;
  /** Other flags, for prerequisites. */
  flags?: ReadonlyMap<string, FlagDefinition>;
  /** Config version of the snapshot; negative when there is none (store never reached). */
  version?: number;
  /** Epoch ms, for scheduled re-enables. */
  now?: number;
};

type Predicate = (ctx: FlagContext) => boolean;
type CompiledRule = { match: (ctx: FlagContext, segments: ReadonlyMap<string, Segment> | undefined) => boolean; variant: string; label: string };
type CompiledEnv = { enabled: boolean; reenableAt: number | null; targets: Map<string, string>; rules: CompiledRule[]; rollout: number };
type Compiled = {
  envs: Partial<Record<Environment, CompiledEnv>>;
  rolloutPrefix: number;
  variantPrefix: number;
  values: Map<string, unknown>;
  weighted: { key: string; upTo: number }[];
  weightTotal: number;
};

// Definitions are immutable snapshots: compile each once, keyed by identity.
const compiledFlags = new WeakMap<FlagDefinition, Compiled>();
const compiledSegments = new WeakMap<Segment, Predicate>();

/**
 * Evaluates one flag for one user. Pure: the same definition, context and
 * options always give the same result. Precedence, first match wins:
 * env override > off in this environment > prerequisite not met >
 * id targeting > rules (segments) > percentage rollout > default.
 */
export function evaluateFlag(flag: FlagDefinition, context: FlagContext, options: EvaluateOptions, depth = 0): Evaluation {
  const version = options.version ?? -1;
  const override = options.overrides === undefined ? undefined : options.overrides[overrideNameOf(flag)];
  if (override !== undefined) {
    const forced = overrideValue(flag, override);
    if (forced) return { value: forced.value, variant: forced.variant, reason: "override", version };
  }
  if (version < 0) return { value: flag.whenUnknown, reason: "fallback", version };

  const compiled = compile(flag);
  const env = compiled.envs[options.environment];
  if (env && !env.enabled && !(env.reenableAt !== null && (options.now ?? Date.now()) >= env.reenableAt)) {
    return { value: flag.offValue, reason: "disabled", version };
  }
  for (const key of flag.prerequisites) {
    const prerequisite = options.flags?.get(key);
    const met = prerequisite !== undefined && depth < 8 && isOn(evaluateFlag(prerequisite, context, options, depth + 1));
    if (!met) return { value: flag.offValue, reason: "disabled", version, detail: `prerequisite ${key} not met` };
  }
  if (!env) return { value: flag.defaultValue, reason: "default", version };

  const id = context.id;
  if (id) {
    const pinned = env.targets.get(id);
    if (pinned !== undefined) return served(compiled, pinned, "target_match", version, "id target");
  }
  for (const rule of env.rules) {
    if (rule.match(context, options.segments)) return served(compiled, rule.variant, "target_match", version, rule.label);
  }
  return rolloutStep(flag, compiled, env, id, version);
}

/** The last step: the percentage rollout, else the default. */
function rolloutStep(flag: FlagDefinition, compiled: Compiled, env: CompiledEnv, id: string | null | undefined, version: number): Evaluation {
  if (env.rollout >= 100 || (id && env.rollout > 0 && bucketFrom(compiled.rolloutPrefix, id) < env.rollout)) {
    return served(compiled, rolloutVariant(flag, compiled, id), "rollout", version);
  }
  return { value: flag.defaultValue, reason: "default", version };
}

/** `evaluateFlag` for one flag under options that do not change between calls, with all it can decide decided once. */
export type FlagShortcut = (context: FlagContext) => Evaluation;

/**
 * The steps of `evaluateFlag` that do not depend on the user, taken once:
 * for most flags what is left is a fixed answer (an override, off, no
 * configuration here) or the rollout step alone. Null when the user
 * matters before the rollout (prerequisites, id targets, rules) or the
 * time does (a scheduled re-enable): the full evaluation runs then. The
 * runtime keeps one per flag and snapshot because, called between the
 * OpenFeature SDK's own steps, the full evaluation's lookups cost several
 * times what they cost in a loop of their own (README, Known limits). A
 * shortcut and `evaluateFlag` agree on every input (evaluate.test.ts).
 */
export function flagShortcut(flag: FlagDefinition, options: EvaluateOptions): FlagShortcut | null {
  const version = options.version ?? -1;
  const override = options.overrides === undefined ? undefined : options.overrides[overrideNameOf(flag)];
  const forced = override === undefined ? null : overrideValue(flag, override);
  if (forced) return () => ({ value: forced.value, variant: forced.variant, reason: "override", version });
  if (version < 0) return () => ({ value: flag.whenUnknown, reason: "fallback", version });
  const compiled = compile(flag);
  const env = compiled.envs[options.environment];
  if (env && !env.enabled) return env.reenableAt === null ? () => ({ value: flag.offValue, reason: "disabled", version }) : null;
  if (flag.prerequisites.length > 0) return null;
  if (!env) return () => ({ value: flag.defaultValue, reason: "default", version });
  if (env.targets.size > 0 || env.rules.length > 0) return null;
  return (context) => rolloutStep(flag, compiled, env, context.id, version);
}

/** A result counts as "on" for prerequisites when it is truthy and the flag was not switched off. */
export function isOn(result: Evaluation): boolean {
  return result.reason !== "disabled" && Boolean(result.value);
}

export function overrideName(key: string): `FLAG_${string}` {
  return `FLAG_${key.toUpperCase()}`;
}

// Every evaluation looks its override up: the name is built once per definition, not once per call.
const overrideNames = new WeakMap<FlagDefinition, `FLAG_${string}`>();

function overrideNameOf(flag: FlagDefinition): `FLAG_${string}` {
  let name = overrideNames.get(flag);
  if (name === undefined) overrideNames.set(flag, (name = overrideName(flag.key)));
  return name;
}

function overrideValue(flag: FlagDefinition, raw: string): { value: unknown; variant?: string } | null {
  const v = raw.trim().toLowerCase();
  if (v === "off") return { value: flag.offValue, variant: "off" };
  if (v === "on") return flag.valueType === "boolean" ? { value: true, variant: "on" } : { value: flag.defaultValue };
  const variant = flag.variants.find((x) => x.key === v);
  // An unknown value is ignored rather than guessed at: the stored config applies.
  return variant ? { value: variant.value, variant: variant.key } : null;
}

function served(compiled: Compiled, variant: string, reason: Evaluation["reason"], version: number, detail?: string): Evaluation {
  return { value: compiled.values.get(variant), variant, reason, version, detail };
}

function rolloutVariant(flag: FlagDefinition, compiled: Compiled, id: string | null | undefined): string {
  if (flag.valueType === "boolean") return "on";
  if (compiled.weighted.length === 1 || !id) return compiled.weighted[0]?.key ?? flag.variants[0]!.key;
  // A second, independent hash picks the variant, so raising the rollout never changes anyone's variant.
  const point = (bucketFrom(compiled.variantPrefix, id) / 100) * compiled.weightTotal;
  for (const w of compiled.weighted) if (point < w.upTo) return w.key;
  return compiled.weighted[compiled.weighted.length - 1]!.key;
}

function compile(flag: FlagDefinition): Compiled {
  let c = compiledFlags.get(flag);
  if (c) return c;
  const values = new Map<string, unknown>(
    flag.valueType === "boolean"
      ? [
          ["on", true],
          ["off", false],
        ]
      : flag.variants.map((v) => [v.key, v.value]),
  );
  let total = 0;
  const weighted: Compiled["weighted"] = [];
  for (const v of flag.variants) {
    if (v.weight <= 0) continue;
    total += v.weight;
    weighted.push({ key: v.key, upTo: total });
  }
  if (weighted.length === 0 && flag.variants[0]) weighted.push({ key: flag.variants[0].key, upTo: (total = 1) });
  const envs: Compiled["envs"] = {};
  for (const [name, state] of Object.entries(flag.environments) as [Environment, EnvironmentState | undefined][]) {
    if (state) envs[name] = compileEnv(state);
  }
  c = {
    envs,
    rolloutPrefix: hashState(`${flag.key}.${flag.seed}.`),
    variantPrefix: hashState(`${flag.key}.${flag.seed}.variant.`),
    values,
    weighted,
    weightTotal: total,
  };
  compiledFlags.set(flag, c);
  return c;
}

function compileEnv(state: EnvironmentState): CompiledEnv {
  const targets = new Map<string, string>();
  for (const t of state.targets) for (const id of t.ids) if (!targets.has(id)) targets.set(id, t.variant);
  const reenableAt = state.reenableAt ? Date.parse(state.reenableAt) : NaN;
  return {
    enabled: state.enabled,
    reenableAt: Number.isNaN(reenableAt) ? null : reenableAt,
    targets,
    rules: state.rules.map(compileRule),
    rollout: state.rollout,
  };
}

function compileRule(rule: FlagRule, index: number): CompiledRule {
  if (rule.segment) {
    const key = rule.segment;
    return {
      variant: rule.variant,
      label: `segment ${key}`,
      // An unknown segment matches nobody: a deleted segment must not widen a rule.
      match: (ctx, segments) => {
        const segment = segments?.get(key);
        return segment !== undefined && segmentPredicate(segment)(ctx);
      },
    };
  }
  return { variant: rule.variant, label: `rule ${index + 1}`, match: compileConditions(rule.conditions ?? []) };
}

function segmentPredicate(segment: Segment): Predicate {
  let p = compiledSegments.get(segment);
  if (!p) {
    p = compileConditions(segment.conditions);
    compiledSegments.set(segment, p);
  }
  return p;
}

/** True when every condition holds (an empty list matches nobody). */
export function compileConditions(conditions: readonly SegmentCondition[]): Predicate {
  if (conditions.length === 0) return () => false;
  if (conditions.length === 1) return compileCondition(conditions[0]!);
  const predicates = conditions.map(compileCondition);
  return (ctx) => {
    for (const p of predicates) if (!p(ctx)) return false;
    return true;
  };
}

const CASE_INSENSITIVE = new Set(["email", "email_domain", "role", "plan", "country"]);

const lower = (v: string | null | undefined) => (v === null || v === undefined ? null : v.toLowerCase());

/** One specialised reader per attribute, chosen at compile time (no per-call switch). */
const ATTRIBUTE_READERS: Record<SegmentCondition["attribute"], (ctx: FlagContext) => string | null> = {
  id: (ctx) => ctx.id ?? null,
  email: (ctx) => lower(ctx.email),
  email_domain: (ctx) => {
    const email = ctx.email;
    const at = email ? email.lastIndexOf("@") : -1;
    return at >= 0 ? email!.slice(at + 1).toLowerCase() : null;
  },
  role: (ctx) => lower(ctx.role),
  plan: (ctx) => lower(ctx.plan),
  country: (ctx) => lower(ctx.country),
  signup_date: (ctx) => ctx.signupDate ?? null,
  beta_opt_in: (ctx) => (ctx.betaOptIn === undefined || ctx.betaOptIn === null ? null : String(ctx.betaOptIn)),
  app_version: (ctx) => ctx.appVersion ?? null,
};

/** A missing attribute fails every operator, `not_in` included: unknown never widens a rule. */
function compileCondition(condition: SegmentCondition): Predicate {
  const { attribute: name, operator } = condition;
  const values = CASE_INSENSITIVE.has(name) ? condition.values.map((v) => v.toLowerCase()) : condition.values;
  const get = ATTRIBUTE_READERS[name];
  switch (operator) {
    case "in":
    case "not_in": {
      const set = new Set(values);
      const want = operator === "in";
      return (ctx) => {
        const v = get(ctx);
        return v !== null && set.has(v) === want;
      };
    }
    case "equals":
      return (ctx) => get(ctx) === values[0];
    case "not_equals":
      return (ctx) => {
        const v = get(ctx);
        return v !== null && v !== values[0];
      };
    case "contains":
      return (ctx) => {
        const v = get(ctx);
        return v !== null && values.some((x) => v.includes(x));
      };
    case "starts_with":
      return (ctx) => {
        const v = get(ctx);
        return v !== null && values.some((x) => v.startsWith(x));
      };
    case "ends_with":
      return (ctx) => {
        const v = get(ctx);
        return v !== null && values.some((x) => v.endsWith(x));
      };
    case "before":
    case "after": {
      const limit = Date.parse(values[0]!);
      const before = operator === "before";
      return (ctx) => {
        const v = get(ctx);
        const t = v === null ? NaN : Date.parse(v);
        if (Number.isNaN(t) || Number.isNaN(limit)) return false;
        return before ? t < limit : t > limit;
      };
    }
    case "semver_gte":
    case "semver_lt": {
      const limit = parseSemver(values[0]!);
      const gte = operator === "semver_gte";
      return (ctx) => {
        const v = get(ctx);
        const parsed = v === null ? null : parseSemver(v);
        if (!parsed || !limit) return false;
        const cmp = compareSemver(parsed, limit);
        return gte ? cmp >= 0 : cmp < 0;
      };
    }
  }
}

type Semver = [number, number, number, string];

function parseSemver(text: string): Semver | null {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ""] : null;
}

function compareSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  // A pre-release sorts before its release (1.0.0-beta < 1.0.0).
  if (a[3] === b[3]) return 0;
  if (a[3] === "") return 1;
  if (b[3] === "") return -1;
  return a[3] < b[3] ? -1 : 1;
}
