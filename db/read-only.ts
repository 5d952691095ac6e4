import { getTableName, type Table } from "drizzle-orm";
import type { Db } from "./client";

/**
 * A database handle that refuses writes. The procedure kernel hands one to
 * every query, and to every procedure run during a read-only support
 * session: insert/update/delete on any table not listed below throws, raw
 * SQL on the root handle runs in a READ ONLY transaction (Postgres itself
 * refuses writes), and raw SQL inside a transaction is refused outright.
 */
export class ReadOnlyDatabaseError extends Error {
  constructor(reason: string, what: string) {
    super(`Refused ${what}: the database is read-only for this request (${reason}).`);
    this.name = "ReadOnlyDatabaseError";
    // The result code the guarded path turns this into, under the process-wide brand (never `instanceof`: bundles copy classes).
    Object.defineProperty(this, Symbol.for("breakwater.error-code"), { value: "read_only" });
  }
}

/**
 * Tables a read-only handle may still write: the audit trail (denials and
 * page views are recorded), the support session itself (so it can end),
 * and operational bookkeeping that no user owns (rate-limit counters,
 * breaker state, request metrics). A procedure allowed during a support
 * session may name more (`readOnlyDb(db, reason, ["problem_reports"])`).
 */
const WRITABLE_WHILE_READ_ONLY: ReadonlySet<string> = new Set<string>([
  "audit_events",
  "audit_event_personal",
  "audit_chain_heads",
  "impersonation_sessions",
  "rate_limit_counters",
  "resilience_counters",
  "breaker_states",
  "breaker_transitions",
  "request_minutes",
  "flag_instances",
]);

const WRITE_METHODS = new Set(["insert", "update", "delete"]);

/**
 * Raw SQL that writes only the audit tables above (the audit log's append
 * statement, lib/audit/append.ts) carries this mark and passes, so denials
 * and page views are still recorded during a read-only session.
 */
export const AUDIT_APPEND_SQL = Symbol.for("breakwater.audit-append-sql");

function isAuditAppend(query: unknown): boolean {
  return Boolean(query && typeof query === "object" && (query as Record<symbol, unknown>)[AUDIT_APPEND_SQL] === true);
}

function guardTable(reason: string, writable: ReadonlySet<string>, method: string, table: unknown): void {
  const name = table && typeof table === "object" ? getTableName(table as Table) : String(table);
  if (!WRITABLE_WHILE_READ_ONLY.has(name) && !writable.has(name)) throw new ReadOnlyDatabaseError(reason, `${method} on ${name}`);
}

function wrap<T extends object>(target: T, reason: string, writable: ReadonlySet<string>, inTransaction: boolean): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver) as unknown;
      if (typeof value !== "function" || typeof prop !== "string") return value;
      if (WRITE_METHODS.has(prop)) {
        return (table: unknown, ...rest: unknown[]) => {
          guardTable(reason, writable, prop, table);
          return (value as (...a: unknown[]) => unknown).call(obj, table, ...rest);
        };
      }
      if (prop === "execute") {
        const run = (value as (...a: unknown[]) => unknown).bind(obj);
        if (inTransaction) {
          return (query: unknown) => {
            if (isAuditAppend(query)) return run(query);
            throw new ReadOnlyDatabaseError(reason, "raw SQL inside a transaction");
          };
        }
        return (query: unknown) =>
          isAuditAppend(query) ? run(query) : (obj as unknown as Db).transaction(async (tx) => {
            await tx.execute("set transaction read only");
            return tx.execute(query as Parameters<Db["execute"]>[0]);
          });
      }
      if (prop === "transaction") {
        return (fn: (tx: unknown) => Promise<unknown>, ...rest: unknown[]) =>
          (value as (...a: unknown[]) => unknown).call(obj, (tx: object) => fn(wrap(tx, reason, writable, true)), ...rest);
      }
      return (value as (...a: unknown[]) => unknown).bind(obj);
    },
  });
}

export function readOnlyDb(db: Db, reason: string, alsoWritable: readonly string[] = []): Db {
  return wrap(db, reason, new Set(alsoWritable), false);
}
