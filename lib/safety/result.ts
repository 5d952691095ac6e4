/**
 * The one result shape every procedure returns. The UI turns each code into
 * a sentence; route handlers turn it into an HTTP status (HTTP_STATUS).
 */
export const ERROR_CODES = [
  "unauthenticated",
  "forbidden",
  "read_only",
  "disabled",
  "maintenance",
  "rate_limited",
  "invalid_input",
  "not_found",
  "conflict",
  "payment_failed",
  "payment_pending",
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
  /** Correlates an internal error with the server log line and the error tracker's event. */
  errorId?: string;
};
export type ActionResult<T> = ActionOk<T> | ActionError;

export const HTTP_STATUS: Record<ErrorCode, number> = {
  unauthenticated: 401,
  forbidden: 403,
  read_only: 403,
  disabled: 503,
  maintenance: 503,
  rate_limited: 429,
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  payment_failed: 402,
  // Accepted, not finished: whether the provider charged is being checked, and the answer follows by email.
  payment_pending: 202,
  dependency_down: 503,
  internal: 500,
};

/**
 * The codes that mean we failed, not the caller or a deliberate pause: these
 * spend error budget and feed error-rate triggers. A kill switch that is off
 * (`disabled`) and read-only maintenance answer 503 too, but on purpose.
 */
export const SERVER_FAULTS: ReadonlySet<ErrorCode> = new Set(["internal", "dependency_down"]);

/** Default sentences; a procedure may pass a more specific one. */
export const DEFAULT_MESSAGES: Record<ErrorCode, string> = {
  unauthenticated: "Please sign in to continue.",
  forbidden: "You don't have permission to do that.",
  read_only: "This is a read-only support session; nothing can be changed.",
  disabled: "This is switched off right now. Nothing was changed.",
  maintenance: "Breakwater is in read-only maintenance: you can sign in and look around, but nothing can be changed until it ends. Nothing was changed.",
  rate_limited: "Too many attempts. Please wait a moment and try again.",
  invalid_input: "Please correct the highlighted fields.",
  not_found: "We couldn't find that.",
  conflict: "That conflicts with something that already exists.",
  payment_failed: "The payment didn't go through; you have not been charged.",
  payment_pending: "We're checking whether the charge went through; you won't be charged twice. We'll email you as soon as we know, and nothing else changes until then.",
  dependency_down: "A service we depend on is unavailable; nothing was changed. Please try again shortly.",
  internal: "Something went wrong on our side; nothing was changed.",
};

/** The digest of a page error caused by a dependency being down: error boundaries (client code) read it. */
export const UNAVAILABLE_DIGEST_PREFIX = "dependency_down-";

export function isUnavailableDigest(digest: string | undefined): boolean {
  return Boolean(digest?.startsWith(UNAVAILABLE_DIGEST_PREFIX));
}

export function ok<T>(data: T): ActionOk<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message?: string, extra: Partial<ActionError> = {}): ActionError {
  return { ok: false, code, message: message ?? DEFAULT_MESSAGES[code], ...extra };
}

/**
 * Errors are classified by a brand stored under a global symbol, never by
 * `instanceof`: a route bundle and a page bundle each carry their own copy of
 * every module, so an error class from one copy is not an instance of the
 * other's. `Symbol.for` is shared by the whole process.
 */
const ERROR_CODE = Symbol.for("breakwater.error-code");

/** Marks an error with the result code it should turn into (returns the same error). */
export function brandError<E extends object>(error: E, code: ErrorCode): E {
  Object.defineProperty(error, ERROR_CODE, { value: code, enumerable: false });
  return error;
}

/** The result code an error (or anything in its `cause` chain) carries, or null for an unexpected error. */
export function errorCodeOf(error: unknown): ErrorCode | null {
  for (let e: unknown = error, depth = 0; e && typeof e === "object" && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as Record<symbol, unknown>)[ERROR_CODE];
    if (typeof code === "string" && (ERROR_CODES as readonly string[]).includes(code)) return code as ErrorCode;
  }
  return null;
}

/**
 * Thrown from inside a procedure to abort it (and roll its transaction back)
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
    brandError(this, code);
  }
}

/** The typed failure an error stands for: an ActionFailure keeps its message and extras, a branded error gets its code's sentence. */
export function failureOf(error: unknown): ActionError | null {
  const code = errorCodeOf(error);
  if (!code) return null;
  if (error && typeof error === "object" && (error as Record<symbol, unknown>)[ERROR_CODE] === code && "extra" in error && error instanceof Error) {
    return fail(code, error.message, (error as ActionFailure).extra);
  }
  return fail(code);
}
