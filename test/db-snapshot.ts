import { sql } from "drizzle-orm";
import { executeRows, getDb } from "@/lib/database";

/**
 * Tables a refused request may legitimately touch: the audit trail records
 * denials, limiters count attempts, metrics count requests.
 */
const BOOKKEEPING = /audit|rate_limit|ratelimit|breaker|request_metric|request_minutes|metrics|job_run|flag_evaluation|flag_instances/;

/** A fingerprint of every business table's contents, to prove a refused request changed nothing. */
export async function snapshotTables(): Promise<Record<string, string>> {
  const db = await getDb();
  const tables = await executeRows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const snapshot: Record<string, string> = {};
  for (const { table_name } of tables) {
    if (BOOKKEEPING.test(table_name)) continue;
    const [row] = await executeRows<{ fingerprint: string | null; n: number }>(
      db,
      sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as fingerprint, count(*)::int as n from ${sql.identifier(table_name)} t`,
    );
    snapshot[table_name] = `${row?.n}:${row?.fingerprint}`;
  }
  return snapshot;
}
