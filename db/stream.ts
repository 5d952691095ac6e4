import { and, asc, getTableColumns, gt, type SQL } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Executor } from "./client";
import { ROW_CURSOR, type CursorOptions, type RowCursor, type SelectBuilder } from "./cursor";

/** The rows of one table matching `where`, in `key` order (the key must be unique). */
export type RowSource = { table: PgTable; key: PgColumn; where?: SQL };

/**
 * Reads every row of a source in batches, without ever holding more than one
 * batch: a server-side cursor on Postgres, keyset pages (`key > last`) on
 * PGlite or inside a transaction. Rows have the shape `db.select().from(table)`
 * gives, so a caller cannot tell which driver produced them.
 */
export async function* streamRows<T extends Record<string, unknown>>(db: Executor, source: RowSource, options: CursorOptions): AsyncGenerator<T[]> {
  const columns = getTableColumns(source.table) as Record<string, PgColumn>;
  const keyName = Object.keys(columns).find((name) => columns[name] === source.key);
  if (!keyName) throw new Error("The stream's key must be a column of its table.");
  const select = (after: unknown) =>
    db
      .select(columns)
      .from(source.table)
      .where(and(source.where, after === undefined ? undefined : gt(source.key, after)))
      .orderBy(asc(source.key));

  const cursor = (db as unknown as Record<symbol, RowCursor | undefined>)[ROW_CURSOR];
  if (cursor) {
    yield* cursor(select(undefined) as unknown as SelectBuilder, options) as AsyncGenerator<T[]>;
    return;
  }
  let after: unknown = undefined;
  for (;;) {
    const rows = (await select(after).limit(options.batchSize)) as T[];
    if (rows.length > 0) yield rows;
    if (rows.length < options.batchSize) return;
    after = rows[rows.length - 1]![keyName];
  }
}
