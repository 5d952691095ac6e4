import "server-only";
import { unhealthySince } from "@/lib/breakers";
import type { Executor } from "@/lib/database";
import { logger } from "@/lib/observability";
import type { RequestContext } from "@/lib/safety";
import { setKillSwitchAction } from "./kill-switch";
import type { KillSwitch } from "../kill-switches";
import { checkKillSwitch } from "../runtime";

export { unhealthySince };

/** A kill switch bound to a breaker: flipped off by the job that checks it once the breaker has been unhealthy this long. */
export type AutoKill = { killSwitch: KillSwitch; breaker: "payments" | "email"; unhealthyForMs: number };

export const AUTO_KILLS: readonly AutoKill[] = [
  // Email down for 5 minutes: stop queuing delivery attempts against it; mail stays queued in the outbox.
  { killSwitch: "notifications", breaker: "email", unhealthyForMs: 5 * 60_000 },
];

/**
 * Checks every binding once and flips what is due. Runs on demand (a cron
 * job or the health check calls it), never on a timer. Returns what it flipped.
 */
export async function runAutoKills(db: Executor, request: RequestContext, now = new Date(), bindings: readonly AutoKill[] = AUTO_KILLS): Promise<KillSwitch[]> {
  const flipped: KillSwitch[] = [];
  for (const b of bindings) {
    const since = await unhealthySince(db, b.breaker);
    if (!since || now.getTime() - since.getTime() < b.unhealthyForMs) continue;
    // INCIDENT: a breaker bound to a kill switch (email → notifications) stayed open too long.
    // FAILURE MODE: the switch is turned off automatically, audited, with an auto_kill alert that stays open until someone turns it back on; a switch already off is left alone.
    // SAFE TO RETRY: yes; only switches that are on are flipped.
    // OPERATOR ACTION: runbook email-provider-down.
    if (!(await checkKillSwitch(b.killSwitch))) continue;
    const minutes = Math.round((now.getTime() - since.getTime()) / 60_000);
    const result = await setKillSwitchAction.run(
      { key: b.killSwitch, on: false, reason: `automatic: the ${b.breaker} breaker has been open since ${since.toISOString()} (${minutes} min)` },
      request,
    );
    if (result.ok) {
      flipped.push(b.killSwitch);
      logger.error({ killSwitch: b.killSwitch, breaker: b.breaker, since }, "kill switch turned off automatically");
    } else {
      logger.error({ killSwitch: b.killSwitch, code: result.code }, "automatic kill switch flip refused");
    }
  }
  return flipped;
}
