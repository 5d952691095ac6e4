import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import postgres from "postgres";
import { env } from "@/lib/env";

/**
 * Records that must outlive the application database: kept where restoring a
 * backup, or a database role rewriting rows, cannot reach them. Each stream
 * is append-only: records are added and read back in order, never changed.
 *
 * Two backends, chosen by configuration:
 * - VAULT_DATABASE_URL: a second Postgres database (production). The table is
 *   created on first use; give the app's role INSERT and SELECT on it only.
 * - otherwise a directory of append-only JSON-lines files (VAULT_DIR,
 *   `.data/vault` by default): for development and tests, and for operators who
 *   keep the directory with their backups.
 */
export type VaultRecord = { stream: string; seq: number; recordedAt: string; body: Record<string, unknown> };

type Backend = {
  append(stream: string, body: Record<string, unknown>): Promise<VaultRecord>;
  read(stream: string, after?: number): Promise<VaultRecord[]>;
  close(): Promise<void>;
};

const STREAM = /^[a-z][a-z0-9_-]{0,62}$/;

function fileBackend(dir: string): Backend {
  const file = (stream: string) => path.join(dir, `${stream}.jsonl`);
  // Appends from one process are serialised so sequence numbers stay dense; other processes append whole lines (O_APPEND).
  let queue: Promise<unknown> = Promise.resolve();
  const read = async (stream: string, after = 0) => {
    const text = await fs.readFile(file(stream), "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? "" : Promise.reject(error)));
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as VaultRecord)
      .filter((r) => r.seq > after);
  };
  return {
    read,
    append(stream, body) {
      const next = queue.then(async () => {
        await fs.mkdir(dir, { recursive: true });
        const last = (await read(stream)).at(-1);
        const record: VaultRecord = { stream, seq: (last?.seq ?? 0) + 1, recordedAt: new Date().toISOString(), body };
        await fs.appendFile(file(stream), `${JSON.stringify(record)}\n`, { flag: "a" });
        return record;
      });
      queue = next.catch(() => undefined);
      return next;
    },
    close: async () => {},
  };
}

function postgresBackend(url: string): Backend {
  // No array-type fetch on connect: its failure would be an unhandled rejection (see db/client.ts). No prepared
  // statements: behind a transaction-mode pooler a statement prepared on one server connection is run on another, and
  // postgres.js then fails and hangs. The vault is written once a minute; preparing its statements saves nothing.
  const sql = postgres(url, { max: 2, onnotice: () => {}, connect_timeout: 5, fetch_types: false, prepare: false });
  let ready: Promise<unknown> | null = null;
  const ensure = () =>
    (ready ??= sql`create table if not exists vault_records (
        seq bigserial primary key,
        stream text not null,
        recorded_at timestamptz not null default now(),
        body jsonb not null
      )`.then(() => sql`create index if not exists vault_records_stream_idx on vault_records (stream, seq)`).catch((error: unknown) => {
      ready = null;
      throw error;
    }));
  const toRecord = (r: { seq: string | number; stream: string; recorded_at: Date; body: Record<string, unknown> }): VaultRecord => ({
    stream: r.stream,
    seq: Number(r.seq),
    recordedAt: r.recorded_at.toISOString(),
    body: r.body,
  });
  return {
    async append(stream, body) {
      await ensure();
      const [row] = await sql<{ seq: string; stream: string; recorded_at: Date; body: Record<string, unknown> }[]>`
        insert into vault_records (stream, body) values (${stream}, ${sql.json(body as never)}) returning seq, stream, recorded_at, body`;
      return toRecord(row!);
    },
    async read(stream, after = 0) {
      await ensure();
      const rows = await sql<{ seq: string; stream: string; recorded_at: Date; body: Record<string, unknown> }[]>`
        select seq, stream, recorded_at, body from vault_records where stream = ${stream} and seq > ${after} order by seq`;
      return rows.map(toRecord);
    },
    close: () => sql.end(),
  };
}

const globalForVault = globalThis as unknown as { breakwaterVault?: Backend };

function backend(): Backend {
  return (globalForVault.breakwaterVault ??= env.VAULT_DATABASE_URL ? postgresBackend(env.VAULT_DATABASE_URL) : fileBackend(env.VAULT_DIR));
}

function checkStream(stream: string): void {
  if (!STREAM.test(stream)) throw new Error(`Bad vault stream "${stream}"`);
}

/** Adds a record to the end of a stream. */
export async function appendToVault(stream: string, body: Record<string, unknown>): Promise<VaultRecord> {
  checkStream(stream);
  return backend().append(stream, body);
}

/** A stream's records in order, optionally only those after a sequence number. */
export async function readVault(stream: string, after?: number): Promise<VaultRecord[]> {
  checkStream(stream);
  return backend().read(stream, after);
}

/** Where records are kept, for the operator's view ("a second database" or the directory). */
export function vaultLocation(): string {
  return env.VAULT_DATABASE_URL ? "a second Postgres database (VAULT_DATABASE_URL)" : `files under ${env.VAULT_DIR}`;
}

export async function closeVault(): Promise<void> {
  const current = globalForVault.breakwaterVault;
  globalForVault.breakwaterVault = undefined;
  await current?.close();
}
