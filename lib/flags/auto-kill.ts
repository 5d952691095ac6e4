import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { breakerTransitions } from "@/db/schema";
import { logger } from "@/lib/observability/logger";
import { setKillSwitch } from "./actions";
import type { KillSwitch } from "./kill-switches";
import { checkKillSwitch } from "./runtime";

/** A kill switch bound to a breaker: flipped off by `system:auto` once the breaker has been unhealthy this long. */
export type AutoKill = { killSwitch: KillSwitch; breaker: "payments" | "email"; unhealthyForMs: number };

export const AUTO_KILLS: readonly AutoKill[] = [
  // Email down for 5 minutes: stop queuing delivery attempts against it; mail stays queued in the outbox.
  { killSwitch: "notifications", breaker: "email", unhealthyForMs: 5 * 60_000 },
];

/**
 * Since when the breaker has been away from "closed" (open or probing),
 * from the shared transition history; null when it is closed now.
 */
export async function unhealthySince(db: Executor, breaker: string): Promise<Date | null> {
  const history = await db
    .select({ to: breakerTransitions.toState, at: breakerTransitions.at })
    .from(breakerTransitions)
    .where(eq(breakerTransitions.name, breaker))
    .orderBy(desc(breakerTransitions.at), desc(breakerTransitions.id))
    .limit(200);
  let since: Date | null = null;
  for (const t of history) {
    if (t.to.startsWith("closed")) break;
    since = t.at;
  }
  return since;
}

/**
 * Checks every binding once and flips what is due. Runs on demand (a cron
 * job or the health check calls it), never on a timer. Returns what it flipped.
 */
export async function runAutoKills(db: Executor, now = new Date(), bindings: readonly AutoKill[] = AUTO_KILLS): Promise<KillSwitch[]> {
  const flipped: KillSwitch[] = [];
  for (const b of bindings) {
    const since = await unhealthySince(db, b.breaker);
    if (!since || now.getTime() - since.getTime() < b.unhealthyForMs) continue;
    if (!(await checkKillSwitch(b.killSwitch))) continue;
    const minutes = Math.round((now.getTime() - since.getTime()) / 60_000);
    const result = await setKillSwitch({
      key: b.killSwitch,
      on: false,
      reason: `automatic: the ${b.breaker} breaker has been open since ${since.toISOString()} (${minutes} min)`,
      actor: "system:auto",
    });
    if (result.ok) {
      flipped.push(b.killSwitch);
      logger.error({ killSwitch: b.killSwitch, breaker: b.breaker, since }, "kill switch turned off automatically");
    } else {
      logger.error({ killSwitch: b.killSwitch, code: result.code }, "automatic kill switch flip refused");
    }
  }
  return flipped;
}
