/**
 * What never leaves the process in a log line, a console trace or an error
 * report: secrets found by their key (password, token, hash, cookie…) at
 * any depth, and values found by their shape wherever they appear, in any
 * string: email addresses, bcrypt hashes, JWTs, bearer credentials and
 * passwords inside connection strings. Free of Node and SDK imports: the
 * browser's Sentry uses it too.
 */
export const REDACTED = "[redacted]";

const SECRET_KEY = /pass(word)?|secret|token|hash|authorization|cookie|api[-_]?key|credential|dsn|cvc|otp|^e-?mail$|^emails?$/i;

const SHAPES: ReadonlyArray<[RegExp, string]> = [
  // Passwords in URLs (postgres://user:pass@host): keep the user and host, drop the password.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):[^/\s@]+@/gi, `$1:${REDACTED}@`],
  [/\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}/g, REDACTED],
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, REDACTED],
  [/\b(Bearer|Basic|Token)\s+[\w.~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, REDACTED],
];

export function scrubString(text: string): string {
  let out = text;
  for (const [shape, replacement] of SHAPES) out = out.replace(shape, replacement);
  return out;
}

/** An error as plain data (name, message, stack, own fields, cause), scrubbed. */
function errorData(error: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const data: Record<string, unknown> = { type: error.name, message: scrubString(error.message), stack: scrubString(error.stack ?? "") };
  for (const [key, value] of Object.entries(error)) if (!(key in data)) data[key] = SECRET_KEY.test(key) ? REDACTED : scrub(value, depth + 1, seen);
  if (error.cause !== undefined) data.cause = scrub(error.cause, depth + 1, seen);
  return data;
}

/** A scrubbed copy of any value: secret keys redacted, secret-shaped strings replaced, errors turned into data. */
export function scrub(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") return scrubString(value);
  if (value === null || typeof value !== "object" || depth > 12) return value;
  if (seen.has(value)) return "[circular]";
  seen.add(value);
  if (value instanceof Error) return errorData(value, depth, seen);
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = SECRET_KEY.test(key) && v !== null && v !== undefined ? REDACTED : scrub(v, depth + 1, seen);
  return out;
}

/** An error with its message and stack scrubbed, still an Error (for console output that prints it as one). */
export function scrubError(error: Error): Error {
  const copy = new Error(scrubString(error.message));
  copy.name = error.name;
  copy.stack = scrubString(error.stack ?? "");
  if (error.cause !== undefined) copy.cause = error.cause instanceof Error ? scrubError(error.cause) : scrub(error.cause);
  return copy;
}
