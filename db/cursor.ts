import { Column, is } from "drizzle-orm";
import type postgres from "postgres";
import type { Turn } from "./client";
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
 * One batch at a time from the transaction that reads to the generator that
 * yields: the transaction waits until its batch is taken, so at most one
 * batch is in flight, and it stops when the reader does.
 */
class Handoff<T> {
  private offered: { value: T; taken: (more: boolean) => void } | null = null;
  private taker: { resolve: (next: IteratorResult<T, undefined>) => void; reject: (error: unknown) => void } | null = null;
  private ended: { error: unknown } | null = null;
  private stopped = false;

  /** Resolves true once the reader took it, false when the reader has stopped. */
  put(value: T): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    return new Promise((taken) => {
      this.offered = { value, taken };
      this.serve();
    });
  }

  take(): Promise<IteratorResult<T, undefined>> {
    return new Promise((resolve, reject) => {
      this.taker = { resolve, reject };
      this.serve();
    });
  }

  /** The transaction is over: `error` if it failed. */
  end(error: unknown = null): void {
    this.ended = { error };
    this.serve();
  }

  /** The reader stopped (finished early, cancelled, or given up on). */
  stop(): void {
    this.stopped = true;
    this.offered?.taken(false);
    this.offered = null;
  }

  private serve(): void {
    const taker = this.taker;
    if (!taker) return;
    if (this.offered) {
      const { value, taken } = this.offered;
      this.offered = this.taker = null;
      taker.resolve({ value, done: false });
      taken(true);
    } else if (this.ended) {
      this.taker = null;
      if (this.ended.error) taker.reject(this.ended.error);
      else taker.resolve({ value: undefined, done: true });
    }
  }
}

/**
 * A cursor in a READ ONLY transaction of its own: a slow reader holds one
 * connection and nothing else. Postgres counts a cursor's statement timeout
 * from its first batch to its last (there is no Sync in between), so the
 * transaction sets its own limit instead of the pool's. Each batch is under
 * the watchdog, like every other call.
 *
 * The transaction is `begin`, not a reserved connection: postgres.js's
 * `reserve()` never settles on a fresh connection when the pool skips its
 * array-type fetch, as db/client.ts's pool does.
 */
export function postgresCursor(client: postgres.Sql, watchdog: DatabaseWatchdog, turn: Turn): RowCursor {
  return async function* cursor(query, { batchSize, timeLimitMs }) {
    const { queryString, params, fields } = query._prepare();
    if (!fields) throw new Error("A row cursor needs a select with known columns.");
    const toRow = rowMapper(fields);
    const handoff = new Handoff<unknown[][]>();
    const reading = turn(() =>
      client.begin("read only", async (tx) => {
        await tx.unsafe(`set local statement_timeout = ${Math.max(1, Math.round(timeLimitMs))}`);
        const batches = tx.unsafe(queryString, params as postgres.ParameterOrJSON<never>[]).values().cursor(batchSize);
        // Leaving the loop early (the reader stopped) closes the portal; the transaction then commits.
        for await (const batch of batches) if (!(await handoff.put(batch as unknown as unknown[][]))) break;
      }),
    ).then(
        () => handoff.end(),
        (error: unknown) => handoff.end(error ?? new Error("the cursor's transaction failed")),
      );
    try {
      for (;;) {
        const next = await watchdog.guard(
          () => handoff.take(),
          () => handoff.stop(),
        );
        if (next.done) break;
        const rows = next.value.map(toRow);
        // Empty the driver's array for the batch once its rows are mapped: it is not reused, but measured on a
        // million-row export, while it still held its rows they outlived the batch in V8's young-generation
        // collections, nearly every row was promoted, and the old generation filled with dead rows until the next
        // full collection (most of the export's memory). Emptied, they die young.
        next.value.length = 0;
        yield rows;
      }
    } finally {
      handoff.stop();
      // The connection goes back to the pool when the transaction ends; a hung server is the watchdog's to judge.
      await watchdog.guard(() => reading).catch(() => {});
    }
  };
}
