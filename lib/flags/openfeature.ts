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

function toContext(ctx: EvaluationContext): FlagContext {
  const str = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    id: str(ctx.targetingKey),
    email: str(ctx.email),
    role: str(ctx.role),
    plan: str(ctx.plan),
    country: str(ctx.country),
    signupDate: str(ctx.signupDate),
    betaOptIn: typeof ctx.betaOptIn === "boolean" ? ctx.betaOptIn : null,
    appVersion: str(ctx.appVersion),
  };
}

// A marker no stored value can equal, to tell "flag missing" from a real value.
const MISSING = Symbol("missing");

function resolve<T>(key: string, defaultValue: T, ctx: EvaluationContext, matches: (v: unknown) => v is T): ResolutionDetails<T> {
  const result: Evaluation = getFlagSync(key, toContext(ctx), MISSING);
  if (result.value === MISSING) {
    return { value: defaultValue, reason: "ERROR", errorCode: ErrorCode.FLAG_NOT_FOUND, errorMessage: `Unknown flag ${key}` };
  }
  if (!matches(result.value)) {
    return { value: defaultValue, reason: "ERROR", errorCode: ErrorCode.TYPE_MISMATCH, errorMessage: `Flag ${key} is not of the requested type` };
  }
  return { value: result.value, variant: result.variant, reason: REASONS[result.reason], flagMetadata: { configVersion: result.version } };
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
    return resolve(key, defaultValue, ctx, (v): v is boolean => typeof v === "boolean");
  }

  async resolveStringEvaluation(key: string, defaultValue: string, ctx: EvaluationContext): Promise<ResolutionDetails<string>> {
    return resolve(key, defaultValue, ctx, (v): v is string => typeof v === "string");
  }

  async resolveNumberEvaluation(key: string, defaultValue: number, ctx: EvaluationContext): Promise<ResolutionDetails<number>> {
    return resolve(key, defaultValue, ctx, (v): v is number => typeof v === "number");
  }

  async resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T, ctx: EvaluationContext): Promise<ResolutionDetails<T>> {
    return resolve(key, defaultValue, ctx, (v): v is T => v !== null && typeof v === "object");
  }
}
