import type postgres from "postgres";
import type { DatabaseTimeouts } from "./client";
import type { DatabaseWatchdog } from "./watchdog";

const SERVER_TIMEOUTS_QUERY =
  "select current_user as role, current_setting('statement_timeout') as statement_timeout, current_setting('idle_in_transaction_session_timeout') as idle_in_transaction_session_timeout";

/**
 * Through a transaction-mode pooler the server-side timeouts can only come
 * from the app's role (the pooler refuses them at connect). A role without
 * them leaves statements and idle transactions unbounded, and nothing else
 * would tell: this says which are missing and the statements that set them.
 */
export async function warnUnboundedRole(client: postgres.Sql, watchdog: DatabaseWatchdog, timeouts: DatabaseTimeouts): Promise<void> {
  const [row] = await watchdog.guard(() => client.unsafe<{ role: string; statement_timeout: string; idle_in_transaction_session_timeout: string }[]>(SERVER_TIMEOUTS_QUERY));
  if (!row) return;
  const wanted = { statement_timeout: timeouts.statementTimeoutMs, idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs };
  const missing = (Object.keys(wanted) as (keyof typeof wanted)[]).filter((name) => row[name] === "0");
  if (missing.length === 0) return;
  const role = `"${row.role.replace(/"/g, '""')}"`;
  console.warn(
    `DATABASE_POOL_MODE=transaction, and the role ${role} sets no ${missing.join(", ")}: a transaction-mode pooler refuses them at connect, so the server does not bound ${missing.length > 1 ? "them" : "it"}. Set ${missing.length > 1 ? "them" : "it"} on the role: ${missing.map((name) => `ALTER ROLE ${role} SET ${name} = '${wanted[name]}ms';`).join(" ")}`,
  );
}
