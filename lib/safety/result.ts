/**
 * The one result shape every guarded action returns. The UI turns each code
 * into a sentence; route handlers turn it into an HTTP status (HTTP_STATUS).
 */
export const ERROR_CODES = [
  "unauthenticated",
  "forbidden",
  "read_only",
  "disabled",
  "rate_limited",
  "invalid_input",
  "not_found",
  "conflict",
  "payment_failed",
  "dependency_down",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ActionOk<T> = { ok: true; data: T };
export type ActionError = {
  ok: false;
  code: ErrorCode;
  message: string;
  /** Per-field messages for invalid_input, keyed by the input field name. */
  fieldErrors?: Record<string, string>;
  /** Seconds until a rate-limited caller may retry. */
  retryAfter?: number;
  /** Correlates an internal error with the server log line. */
  errorId?: string;
};
export type ActionResult<T> = ActionOk<T> | ActionError;

export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  read_only: 403,
  disabled: 503,
  rate_limited: 429,
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  payment_failed: 402,
  dependency_down: 503,
  internal: 500,
};

/** Default sentences; an action may pass a more specific one. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  unauthenticated: "Please sign in to continue.",
  forbidden: "You don't have permission to do that.",
  read_only: "This is a read-only support session; nothing can be changed.",
  disabled: "This is switched off right now. Nothing was changed.",
  rate_limited: "Too many attempts. Please wait a moment and try again.",
  invalid_input: "Please correct the highlighted fields.",
  not_found: "We couldn't find that.",
  conflict: "That conflicts with something that already exists.",
  payment_failed: "The payment didn't go through; you have not been charged.",
  dependency_down: "A service we depend on is unavailable; nothing was changed. Please try again shortly.",
  internal: "Something went wrong on our side; nothing was changed.",
};

export function ok<T>(data: T): ActionOk<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message?: string, extra: Partial<ActionError> = {}): ActionError {
  return { ok: false, code, message: message ?? DEFAULT_MESSAGES[code], ...extra };
}

/**
 * Thrown from inside an action to abort it (and roll its transaction back)
 * with a typed error instead of a raw exception.
 */
export class ActionFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly extra: Partial<ActionError> = {},
  ) {
    super(message ?? DEFAULT_MESSAGES[code]);
    this.name = "ActionFailure";
  }
}
