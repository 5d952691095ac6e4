import "server-only";
import { eq } from "drizzle-orm";
import { flags } from "@/db/schema";
import type { Executor } from "@/lib/database";
import { logger } from "@/lib/observability";
import type { RequestContext } from "@/lib/safety";
import { isKillSwitch, type KillSwitch } from "../kill-switches";
import { currentEnvironment } from "../store";
import { setKillSwitchAction } from "./kill-switch";

/**
 * Kill switches whose scheduled turn-back-on time has passed, turned on
 * through the guarded action so the change is audited as the job (a system
 * principal) and the stored state matches what evaluation already serves:
 * evaluation treats a switch as on from its re-enable time, whether or not
 * this has run yet. Runs on the minute tick; returns what it turned on.
 */
export async function runScheduledReenables(db: Executor, request: RequestContext, now = new Date()): Promise<KillSwitch[]> {
  const rows = await db.select({ key: flags.key, environments: flags.environments, updatedBy: flags.updatedBy }).from(flags).where(eq(flags.kind, "kill_switch"));
  const turnedOn: KillSwitch[] = [];
  for (const row of rows) {
    const state = row.environments[currentEnvironment()];
    if (!isKillSwitch(row.key) || !state || state.enabled || !state.reenableAt || Date.parse(state.reenableAt) > now.getTime()) continue;
    // INCIDENT: a kill switch turned off with a re-enable time has reached it.
    // FAILURE MODE: evaluation already serves it on; a failed run leaves the stored row off with the time passed, and the next minute's run records it.
    // SAFE TO RETRY: yes; a switch already on (or rescheduled) is left alone.
    // OPERATOR ACTION: runbook incident-response.
    const result = await setKillSwitchAction.run({ key: row.key, on: true, reason: `scheduled: back on at ${state.reenableAt}, as set by ${row.updatedBy}` }, request);
    if (result.ok) turnedOn.push(row.key);
    else logger.error({ killSwitch: row.key, code: result.code }, "scheduled kill switch turn-back-on refused");
  }
  return turnedOn;
}
