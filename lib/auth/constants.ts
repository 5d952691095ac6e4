/** Password length rules the sign-up action enforces and the sign-up form repeats in the browser. No imports: safe in a client bundle. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 200;

/** The roles, least to most privileged (the role table in ./permissions maps each to permissions). */
export const ROLES = ["user", "support", "admin"] as const;

/** Why a sign-in was refused; the code travels to the browser, which says it in words (signInRefusalMessage). */
export const SIGN_IN_REFUSALS = ["invalid_input", "bad_credentials", "rate_limited", "unusual_activity", "limiter_unavailable", "suspended"] as const;
export type SignInRefusal = (typeof SIGN_IN_REFUSALS)[number];

/** A refusal as Auth.js carries it to the client: `reason` or `reason.seconds`. */
export function signInRefusalCode(reason: SignInRefusal, retryAfterSeconds?: number): string {
  return retryAfterSeconds ? `${reason}.${retryAfterSeconds}` : reason;
}

function wait(seconds: number): string {
  return seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} second${seconds === 1 ? "" : "s"}`;
}

/** What the sign-in form says for a refusal code; a wrong password and anything unknown read the same. */
export function signInRefusalMessage(code: string | null | undefined): string {
  const [reason, seconds] = (code ?? "").split(".");
  const retry = Number(seconds) > 0 ? wait(Number(seconds)) : "a little while";
  switch (reason as SignInRefusal) {
    case "invalid_input":
      return "Enter a valid email address and your password.";
    case "rate_limited":
      return `Too many sign-in attempts. For your account's safety, try again in ${retry}.`;
    case "unusual_activity":
      return `We're seeing unusual sign-in activity, so sign-ins from new browsers are slowed down. Try again in ${retry}.`;
    case "limiter_unavailable":
      return `We can't check sign-ins safely right now, so none are accepted. Try again in ${retry}.`;
    case "suspended":
      return "This account is suspended. Contact support if you think this is a mistake.";
    default:
      return "Email or password is incorrect.";
  }
}
