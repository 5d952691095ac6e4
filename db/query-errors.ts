import { PgPreparedQuery } from "drizzle-orm/pg-core/session";

/**
 * A failed query must not carry its bound values anywhere: drizzle writes
 * them into the error's message ("params: …") and keeps them on `params`,
 * the driver keeps them on its error, and Postgres quotes values in its own
 * messages ("Key (email)=(…) already exists", "invalid input syntax …: …").
 * Every log line, Sentry event and console trace starts from that error, so
 * it is cleaned where it is made: the message keeps the SQL (parameterised,
 * no values) and the database's explanation, with every bound value
 * replaced by [redacted], and the driver's error is replaced by a copy
 * holding only the fields that explain the failure (code, constraint…),
 * which the guarded path still reads (a unique violation stays a 23505).
 */
const REDACTED = "[redacted]";
/** Shorter values are left alone: replacing "id" or "on" inside words would garble the message and hide nothing. */
const MIN_SECRET_LENGTH = 4;
/** Driver error fields worth keeping: they say what failed, not with which values. */
const KEPT_FIELDS = ["code", "severity", "severity_local", "schema_name", "table_name", "column_name", "data_type", "constraint_name", "routine", "position", "file", "line"];
const TEXT_FIELDS = ["detail", "hint", "where", "internal_query"];

function collectStrings(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 6 || value === null || value === undefined) return;
  if (typeof value === "string") {
    if (value.length >= MIN_SECRET_LENGTH) into.add(value);
    const trimmed = value.trim();
    if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && trimmed.length < 1_000_000) {
      try {
        collectStrings(JSON.parse(trimmed), into, depth + 1);
      } catch {
        // not JSON: the whole string is already listed
      }
    }
    return;
  }
  if (Array.isArray(value)) for (const v of value) collectStrings(v, into, depth + 1);
  else if (typeof value === "object" && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    for (const v of Object.values(value as Record<string, unknown>)) collectStrings(v, into, depth + 1);
  }
}

/** Replaces every bound value in `text`; longest first, so a value containing another is removed whole. */
export function redactValues(text: string, values: readonly unknown[]): string {
  const secrets = new Set<string>();
  collectStrings(values, secrets);
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(REDACTED);
  return out;
}

type DriverError = Error & Record<string, unknown>;

/**
 * The result code the guarded path reads (the kernel's process-wide brand; db/ imports nothing from lib/). The copy
 * must keep it: without it an outage met by a query outside a procedure (the session lookup) reads as "internal".
 */
const ERROR_CODE = Symbol.for("breakwater.error-code");

function cleanCause(cause: unknown, params: readonly unknown[]): unknown {
  if (!(cause instanceof Error)) return cause;
  const source = cause as DriverError;
  const copy = new Error(redactValues(source.message, params)) as DriverError;
  copy.name = source.name;
  copy.stack = redactValues(source.stack ?? "", params);
  const code = (source as unknown as Record<symbol, unknown>)[ERROR_CODE];
  if (code !== undefined) Object.defineProperty(copy, ERROR_CODE, { value: code, enumerable: false });
  for (const key of KEPT_FIELDS) if (source[key] !== undefined) copy[key] = source[key];
  for (const key of TEXT_FIELDS) if (typeof source[key] === "string") copy[key] = redactValues(source[key] as string, params);
  return copy;
}

/** Cleans a query error in place (message, stack, params) and swaps its driver cause for a clean copy. */
export function scrubQueryError(error: unknown, query: string, params: readonly unknown[]): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as DriverError;
  const before = e.message;
  const cause = cleanCause(e.cause, params);
  const reason = cause instanceof Error ? `: ${cause.message}` : "";
  const message = before.startsWith("Failed query:") ? `Failed query: ${redactValues(query, params)}${reason}` : redactValues(before, params);
  e.message = message;
  e.stack = redactValues((e.stack ?? "").replace(before, message), params);
  if ("params" in e) e.params = undefined;
  if (e.cause !== undefined) e.cause = cause;
  return e;
}

const INSTALLED = Symbol.for("breakwater.query-errors-scrubbed");

/** Installs the cleaning on every drizzle query, for both drivers. Idempotent. */
export function scrubQueryErrors(): void {
  const proto = PgPreparedQuery.prototype as unknown as Record<PropertyKey, unknown> & {
    queryWithCache: (queryString: string, params: unknown[], query: () => Promise<unknown>) => Promise<unknown>;
  };
  if (proto[INSTALLED]) return;
  const original = proto.queryWithCache;
  proto.queryWithCache = async function (this: unknown, queryString: string, params: unknown[], query: () => Promise<unknown>) {
    try {
      return await original.call(this, queryString, params, query);
    } catch (error) {
      throw scrubQueryError(error, queryString, params ?? []);
    }
  };
  proto[INSTALLED] = true;
}
