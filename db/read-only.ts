import { getTableName, type Table } from "drizzle-orm";
import type { Db } from "./client";

/**
 * The data-access half of read-only impersonation (the guarded path is the
 * other half). While a guard registered with `setWriteGuard` reports a
 * reason, `getDb()` hands out this wrapper: insert/update/delete on any
 * table not listed below throws, raw SQL on the root handle runs in a
 * READ ONLY transaction (Postgres itself refuses writes), and raw SQL
 * inside a transaction is refused outright.
 */
export class ReadOnlyDatabaseError extends Error {
  readonly code = "read_only";
  constructor(reason: string, what: string) {
    super(`Refused ${what}: the database is read-only for this request (${reason}).`);
    this.name = "ReadOnlyDatabaseError";
  }
}

/**
 * Tables a read-only request may still write: the audit trail (denials and
 * page views are recorded), the support session itself (so it can end),
 * and operational bookkeeping that no user owns (rate-limit counters,
 * breaker state, request metrics). Extend with `allowWritesWhileReadOnly`.
 */
const writableWhileReadOnly = new Set<string>([
  "audit_events",
  "audit_event_personal",
  "impersonation_sessions",
  "rate_limit_counters",
  "resilience_counters",
  "breaker_states",
  "breaker_transitions",
  "request_minutes",
  "flag_instances",
]);

export function allowWritesWhileReadOnly(...tableNames: string[]): void {
  for (const name of tableNames) writableWhileReadOnly.add(name);
}

const WRITE_METHODS = new Set(["insert", "update", "delete"]);

function guardTable(reason: string, method: string, table: unknown): void {
  const name = table && typeof table === "object" ? getTableName(table as Table) : String(table);
  if (!writableWhileReadOnly.has(name)) throw new ReadOnlyDatabaseError(reason, `${method} on ${name}`);
}

function wrap<T extends object>(target: T, reason: string, inTransaction: boolean): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function" || typeof prop !== "string") return value;
      if (WRITE_METHODS.has(prop)) {
        return (table: unknown, ...rest: unknown[]) => {
          guardTable(reason, prop, table);
          return (value as (...a: unknown[]) => unknown).call(obj, table, ...rest);
        };
      }
      if (prop === "execute") {
        if (inTransaction) {
          return () => {
            throw new ReadOnlyDatabaseError(reason, "raw SQL inside a transaction");
          };
        }
        return (query: unknown) =>
          (obj as unknown as Db).transaction(async (tx) => {
            await tx.execute("set transaction read only");
            return tx.execute(query as Parameters<Db["execute"]>[0]);
          });
      }
      if (prop === "transaction") {
        return (fn: (tx: unknown) => Promise<unknown>, ...rest: unknown[]) =>
          (value as (...a: unknown[]) => unknown).call(obj, (tx: object) => fn(wrap(tx, reason, true)), ...rest);
      }
      return (value as (...a: unknown[]) => unknown).bind(obj);
    },
  });
}

export function readOnlyDb(db: Db, reason: string): Db {
  return wrap(db, reason, false);
}
