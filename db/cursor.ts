import { Column, is } from "drizzle-orm";
import type postgres from "postgres";
import type { DatabaseWatchdog } from "./watchdog";

/**
 * A server-side cursor over one select, in batches: what db/stream.ts uses on
 * Postgres. Attached to the Postgres handle under this symbol (symbols pass
 * through the read-only handle untouched); PGlite has none and pages by key.
 */
export const ROW_CURSOR = Symbol.for("breakwater.row-cursor");

export type CursorOptions = {
  /** Rows fetched per round trip, and handed on per batch. */
  batchSize: number;
  /** The whole read, however slowly its consumer pulls, is cancelled by Postgres after this. */
  timeLimitMs: number;
};

/**
 * What drizzle's select builder prepares: its `_prepare()`, which is internal to drizzle. A drizzle
 * upgrade that changes it fails lib/accounts/export-stream.test.ts in the Postgres test phase.
 */
type PreparedSelect = { queryString: string; params: unknown[]; fields?: { path: string[]; field: unknown }[] };
export type SelectBuilder = { _prepare(): PreparedSelect };
export type RowCursor = (query: SelectBuilder, options: CursorOptions) => AsyncGenerator<Record<string, unknown>[]>;

/** Maps one row of values to drizzle's object shape, as drizzle would (plain columns only). */
function rowMapper(fields: NonNullable<PreparedSelect["fields"]>): (values: unknown[]) => Record<string, unknown> {
  const columns = fields.map(({ path, field }) => {
    if (path.length !== 1 || !is(field, Column)) throw new Error("A row cursor selects plain columns only.");
    return { name: path[0]!, column: field };
  });
  return (values) => {
    const row: Record<string, unknown> = {};
    columns.forEach(({ name, column }, i) => {
      const raw = values[i];
      row[name] = raw === null || raw === undefined ? null : column.mapFromDriverValue(raw);
    });
    return row;
  };
}

/**
 * Cursors on one reserved connection, in a READ ONLY transaction: a slow
 * reader holds one connection and nothing else. Postgres counts a cursor's
 * statement timeout from its first batch to its last (there is no Sync in
 * between), so the transaction sets its own limit instead of the pool's.
 * Each batch is under the watchdog, like every other call.
 */
export function postgresCursor(client: postgres.Sql, watchdog: DatabaseWatchdog): RowCursor {
  return async function* cursor(query, { batchSize, timeLimitMs }) {
    const { queryString, params, fields } = query._prepare();
    if (!fields) throw new Error("A row cursor needs a select with known columns.");
    const toRow = rowMapper(fields);
    let reserving: Promise<postgres.ReservedSql> | undefined;
    // A reservation given up on (the server stopped answering) is handed back whenever it arrives.
    const connection = await watchdog.guard(
      () => (reserving = client.reserve()),
      () => void reserving?.then((late) => late.release(), () => {}),
    );
    let inTransaction = false;
    try {
      await watchdog.guard(() => connection.unsafe("begin read only"));
      inTransaction = true;
      await watchdog.guard(() => connection.unsafe(`set local statement_timeout = ${Math.max(1, Math.round(timeLimitMs))}`));
      const batches = connection
        .unsafe(queryString, params as postgres.ParameterOrJSON<never>[])
        .values()
        .cursor(batchSize)
        [Symbol.asyncIterator]();
      try {
        for (;;) {
          const next = await watchdog.guard(() => batches.next());
          if (next.done) break;
          yield (next.value as unknown as unknown[][]).map(toRow);
        }
      } finally {
        // A consumer that stopped early (a download cancelled) closes the portal; a finished one is a no-op.
        await batches.return?.();
      }
      await watchdog.guard(() => connection.unsafe("commit"));
      inTransaction = false;
    } finally {
      if (inTransaction) await watchdog.guard(() => connection.unsafe("rollback")).catch(() => {});
      connection.release();
    }
  };
}
