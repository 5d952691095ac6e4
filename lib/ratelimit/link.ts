import { defineLink, fail } from "@/lib/safety";
import { checkRateLimit, type RateLimitPolicy } from "./index";
import { refusalMessage } from "./wait";

/**
 * Whose bucket a call spends: the signed-in user's, the client address's, or
 * the user's when signed in and the address's otherwise. `scope` keeps
 * buckets of the same policy apart (reactivation vs cancelling a deletion).
 * `counts: "successes"` spends the budget only when the call succeeds (an
 * export a mistyped password refused is not one of the three an hour); the
 * budget is still checked before the call, so a spent one refuses at once.
 */
export type RateLimitDeclaration = { policy: RateLimitPolicy; by: "user" | "ip" | "user_or_ip"; scope?: string; counts?: "every_call" | "successes" };

export function rateLimitKey(declaration: RateLimitDeclaration, request: { user: { id: string } | null; ip: string | null }): string {
  const ip = `ip:${request.ip ?? "unknown"}`;
  const key = declaration.by === "ip" || !request.user ? ip : `user:${request.user.id}`;
  return declaration.scope ? `${declaration.scope}:${key}` : key;
}

/** The declared policy's budget must not be spent; a limiter that cannot answer follows the policy's fail mode. */
export const enforceRateLimit = defineLink<{ rateLimit?: RateLimitDeclaration }>({
  name: "rate limit",
  around: async (call, next) => {
    const declared = call.def.rateLimit;
    if (!declared) return next();
    const key = rateLimitKey(declared, call.request);
    const onSuccessOnly = declared.counts === "successes";
    const decision = await checkRateLimit(declared.policy, key, { spend: !onSuccessOnly });
    if (!decision.allowed) return fail("rate_limited", refusalMessage(decision.outcome, decision.retryAfterSeconds), { retryAfter: decision.retryAfterSeconds });
    const result = await next();
    // Two such calls racing may both pass the check above: a burst can overshoot by the calls in flight, never by more.
    if (onSuccessOnly && result.ok) await checkRateLimit(declared.policy, key);
    return result;
  },
});
