import { ErrorCode, type EvaluationContext, type JsonValue, type Provider, type ResolutionDetails } from "@openfeature/server-sdk";
import type { Evaluation, EvaluationReason, FlagContext } from "./model";
import { getFlagSync } from "./runtime";

const REASONS: Record<EvaluationReason, string> = {
  override: "STATIC",
  disabled: "DISABLED",
  target_match: "TARGETING_MATCH",
  rollout: "SPLIT",
  default: "DEFAULT",
  fallback: "ERROR",
};

function text(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

function toContext(ctx: EvaluationContext): FlagContext {
  return {
    id: text(ctx.targetingKey),
    email: text(ctx.email),
    role: text(ctx.role),
    plan: text(ctx.plan),
    country: text(ctx.country),
    signupDate: text(ctx.signupDate),
    betaOptIn: typeof ctx.betaOptIn === "boolean" ? ctx.betaOptIn : null,
    appVersion: text(ctx.appVersion),
  };
}

// A marker no stored value can equal, to tell "flag missing" from a real value.
const MISSING = Symbol("missing");

// Type guards and metadata made once, not per evaluation: the SDK's own overhead is the peer this provider is measured against.
const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";
const isString = (v: unknown): v is string => typeof v === "string";
const isNumber = (v: unknown): v is number => typeof v === "number";
const isObject = (v: unknown): v is JsonValue => v !== null && typeof v === "object";
let metadata: { version: number; frozen: Readonly<{ configVersion: number }> } | null = null;

function metadataFor(version: number): Readonly<{ configVersion: number }> {
  if (metadata?.version !== version) metadata = { version, frozen: Object.freeze({ configVersion: version }) };
  return metadata.frozen;
}

function resolve<T>(key: string, defaultValue: T, ctx: EvaluationContext, matches: (v: unknown) => boolean): ResolutionDetails<T> {
  const result: Evaluation = getFlagSync(key, toContext(ctx), MISSING);
  if (result.value === MISSING) {
    return { value: defaultValue, reason: "ERROR", errorCode: ErrorCode.FLAG_NOT_FOUND, errorMessage: `Unknown flag ${key}` };
  }
  if (!matches(result.value)) {
    return { value: defaultValue, reason: "ERROR", errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: `Flag ${key} is not of the requested type` };
  }
  return { value: result.value as T, variant: result.variant, reason: REASONS[result.reason], flagMetadata: metadataFor(result.version) };
}

/**
 * OpenFeature server provider over Breakwater's own store, so code can use
 * the standard API (and a team can later swap in Flagsmith or Unleash). It
 * evaluates from the in-process snapshot like the native path; the app's own
 * hot paths call `getFlagSync` / `isKillSwitchOn` directly.
 */
export class BreakwaterFlagProvider implements Provider {
  readonly metadata = { name: "breakwater" } as const;
  readonly runsOn = "server" as const;

  async resolveBooleanEvaluation(key: string, defaultValue: boolean, ctx: EvaluationContext): Promise<ResolutionDetails<boolean>> {
    return resolve(key, defaultValue, ctx, isBoolean);
  }

  async resolveStringEvaluation(key: string, defaultValue: string, ctx: EvaluationContext): Promise<ResolutionDetails<string>> {
    return resolve(key, defaultValue, ctx, isString);
  }

  async resolveNumberEvaluation(key: string, defaultValue: number, ctx: EvaluationContext): Promise<ResolutionDetails<number>> {
    return resolve(key, defaultValue, ctx, isNumber);
  }

  async resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T, ctx: EvaluationContext): Promise<ResolutionDetails<T>> {
    return resolve(key, defaultValue, ctx, isObject);
  }
}
