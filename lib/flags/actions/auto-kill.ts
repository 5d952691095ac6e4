import "server-only";
import { eq } from "drizzle-orm";
import { flags } from "@/db/schema";
import { actorLabel, actorOf } from "@/lib/audit";
import { healthySince, unhealthySince, type BreakerName } from "@/lib/breakers";
import type { Executor } from "@/lib/database";
import { logger } from "@/lib/observability";
import type { RequestContext } from "@/lib/safety";
import { setKillSwitchAction } from "./kill-switch";
import type { KillSwitch } from "../kill-switches";
import { checkKillSwitch } from "../runtime";
import { currentEnvironment } from "../store";

export { unhealthySince };

/** A breaker away from closed for this long. */
export type BreakerTrigger = { breaker: ProviderBreaker; unhealthyForMs: number };
/** The breakers in front of a provider a switch can stop; the alerting ones (Slack, PagerDuty) are never bound. */
export type ProviderBreaker = Extract<BreakerName, "payments" | "email">;
/** People's calls of a declared action failing on our side (`internal`, `dependency_down`) at this rate or more, over a window. */
export type ErrorRateTrigger = { action: string; errorRate: number; minCalls: number; windowMs: number };

/**
 * A kill switch turned off by a signal. The switch stays off until a person
 * turns it back on, or, where `reenableAfterHealthyMs` is declared, until its
 * breaker has been closed that long: the uptime job probes the provider
 * through the breaker while the switch is off, since nothing else calls it.
 * Error-rate triggers declare no automatic re-enable: with the switch off the
 * action is refused before it can fail, so its error rate says nothing.
 */
export type AutoKill = { killSwitch: KillSwitch; when: BreakerTrigger | ErrorRateTrigger; reenableAfterHealthyMs?: number };

export const AUTO_KILLS: readonly AutoKill[] = [
  // Email down for 5 minutes: stop queuing delivery attempts against it; mail stays queued in the outbox. Back on after 10 healthy minutes.
  { killSwitch: "notifications", when: { breaker: "email", unhealthyForMs: 5 * 60_000 }, reenableAfterHealthyMs: 10 * 60_000 },
  // Payments down for 15 minutes: users see "billing is paused, you have not been charged" and renewals skip. A person decides when money moves again.
  { killSwitch: "payments", when: { breaker: "payments", unhealthyForMs: 15 * 60_000 } },
  // Plan changes failing on our side (a bad deploy, or the provider down while people are paying: sooner than the breaker's
  // 15 minutes above, which covers the quiet hours): pause billing.
  { killSwitch: "payments", when: { action: "billing.change_plan", errorRate: 0.5, minCalls: 10, windowMs: 5 * 60_000 } },
  { killSwitch: "report_problem", when: { action: "report.submit", errorRate: 0.5, minCalls: 10, windowMs: 5 * 60_000 } },
  // The Slack and PagerDuty breakers have no switch on purpose: turning alerting off is never the safe side.
];

/** What the triggers read, handed in by the uptime job (lib/status owns the request counts; lib/providers the probes). */
export type AutoKillSignals = {
  /** People's calls of an action and how many failed on our side, over [from, to). */
  actionOutcomes(action: string, from: Date, to: Date): Promise<{ total: number; errors: number }>;
  /** One cheap call to the provider through its breaker, so a breaker whose switch stopped all traffic can still close. */
  probe(breaker: ProviderBreaker): Promise<void>;
};

const isBreakerTrigger = (when: AutoKill["when"]): when is BreakerTrigger => "breaker" in when;

/** Why this binding should turn its switch off now, or null. */
async function firing(db: Executor, binding: AutoKill, now: Date, signals: AutoKillSignals): Promise<string | null> {
  const { when } = binding;
  if (isBreakerTrigger(when)) {
    const since = await unhealthySince(db, when.breaker);
    if (!since || now.getTime() - since.getTime() < when.unhealthyForMs) return null;
    const minutes = Math.round((now.getTime() - since.getTime()) / 60_000);
    return `automatic: the ${when.breaker} breaker has been open since ${since.toISOString()} (${minutes} min)`;
  }
  const { total, errors } = await signals.actionOutcomes(when.action, new Date(now.getTime() - when.windowMs), now);
  if (total < when.minCalls || errors / total < when.errorRate) return null;
  const minutes = Math.round(when.windowMs / 60_000);
  return `automatic: ${errors} of ${total} calls of ${when.action} failed on our side in the last ${minutes} min`;
}

/**
 * Checks every binding once and flips what is due. Runs on demand (the
 * uptime job calls it every minute), never on a timer. Returns what it flipped.
 */
export async function runAutoKills(db: Executor, request: RequestContext, now: Date, signals: AutoKillSignals, bindings: readonly AutoKill[] = AUTO_KILLS): Promise<KillSwitch[]> {
  const flipped: KillSwitch[] = [];
  for (const binding of bindings) {
    const reason = await firing(db, binding, now, signals);
    if (!reason) continue;
    // INCIDENT: a signal bound to a kill switch fired (a breaker open too long, or a declared action failing on our side).
    // FAILURE MODE: the switch is turned off automatically, audited, with an auto_kill alert through the alert router that stays open until it is back on; a switch already off is left alone.
    // SAFE TO RETRY: yes; only switches that are on are flipped.
    // OPERATOR ACTION: runbook incident-response; then the switch's own (email-provider-down, payment-provider-down, rollback).
    if (!(await checkKillSwitch(binding.killSwitch))) continue;
    const result = await setKillSwitchAction.run({ key: binding.killSwitch, on: false, reason }, request);
    if (result.ok) {
      flipped.push(binding.killSwitch);
      logger.error({ killSwitch: binding.killSwitch, reason }, "kill switch turned off automatically");
    } else {
      logger.error({ killSwitch: binding.killSwitch, code: result.code }, "automatic kill switch flip refused");
    }
  }
  return flipped;
}

/**
 * Turns back on the switches this job turned off whose binding declares an
 * automatic re-enable, once their breaker has been closed that long. First
 * probes each such provider through its breaker (nothing else calls it
 * while the switch is off). A switch a person touched since (turned off
 * again, scheduled a time) is theirs: it is left alone.
 */
export async function runHealthyReenables(db: Executor, request: RequestContext, now: Date, signals: AutoKillSignals, bindings: readonly AutoKill[] = AUTO_KILLS): Promise<KillSwitch[]> {
  const turnedOn: KillSwitch[] = [];
  const us = actorLabel(actorOf(request));
  for (const binding of bindings) {
    const { when, reenableAfterHealthyMs: healthyFor } = binding;
    if (healthyFor === undefined || !isBreakerTrigger(when)) continue;
    const [row] = await db.select({ environments: flags.environments, updatedBy: flags.updatedBy }).from(flags).where(eq(flags.key, binding.killSwitch));
    const state = row?.environments[currentEnvironment()];
    if (!row || !state || state.enabled || state.reenableAt || row.updatedBy !== us) continue;
    await signals.probe(when.breaker).catch((error: unknown) => logger.warn({ err: error, breaker: when.breaker }, "provider probe failed"));
    const since = await healthySince(db, when.breaker);
    if (!since || now.getTime() - since.getTime() < healthyFor) continue;
    // INCIDENT: a switch turned off automatically has a healthy provider again.
    // FAILURE MODE: it is turned back on as this job, audited, and its auto_kill alert resolves; a failed run leaves it off until the next minute.
    // SAFE TO RETRY: yes; a switch already on, or changed by a person, is left alone.
    // OPERATOR ACTION: runbook email-provider-down if the provider relapses (the binding turns it off again too).
    const minutes = Math.round((now.getTime() - since.getTime()) / 60_000);
    const result = await setKillSwitchAction.run({ key: binding.killSwitch, on: true, reason: `automatic: the ${when.breaker} breaker has been closed for ${minutes} min` }, request);
    if (result.ok) turnedOn.push(binding.killSwitch);
    else logger.error({ killSwitch: binding.killSwitch, code: result.code }, "automatic kill switch turn-back-on refused");
  }
  return turnedOn;
}
