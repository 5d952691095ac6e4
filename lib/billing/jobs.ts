import { and, asc, eq, gt, inArray, lte, ne, or } from "drizzle-orm";
import { renewalAttempts, subscriptions, users } from "@/db/schema";
import { DependencyDownError } from "@/lib/breakers";
import type { Db } from "@/db/client";
import { defineJob, type ItemOutcome } from "@/lib/jobs";
import { systemContext } from "@/lib/safety/context";
import { DUNNING_DAYS, renewalKey, renewSubscription } from "./actions";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * One subscription's renewal step: the next dunning attempt if it is due
 * (period end + 0, 1, 3, 7 days), else skipped. Safe to call twice at once:
 * the attempt claim in `renewSubscription` lets only one through.
 */
export async function renewIfDue(db: Db, sub: { id: string; periodEnd: Date }, now: Date, requestId: string): Promise<ItemOutcome> {
  const failed = await db
    .select({ attempt: renewalAttempts.attempt })
    .from(renewalAttempts)
    .where(and(eq(renewalAttempts.idempotencyKey, renewalKey(sub.id, sub.periodEnd)), eq(renewalAttempts.status, "failed")));
  const attempt = failed.length;
  const dueDay = DUNNING_DAYS[attempt];
  if (dueDay === undefined || now.getTime() < sub.periodEnd.getTime() + dueDay * DAY_MS) return "skipped";
  const result = await renewSubscription.run({ subscriptionId: sub.id, periodEnd: sub.periodEnd.toISOString(), attempt }, systemContext({ requestId }));
  if (result.ok) return "processed";
  if (result.code === "dependency_down") throw new DependencyDownError("payments", result.message);
  // Claimed by a concurrent run, or no longer due: not a failure.
  if (result.code === "conflict") return "skipped";
  throw new Error(`renewal ${sub.id}: ${result.code} ${result.message}`);
}

/**
 * Renewals with dunning. Work is chosen by state (period ended, not yet
 * renewed), so a run that stops early leaves the rest due for the next one.
 * Within a run a keyset cursor walks the due list once, so subscriptions
 * whose next dunning attempt is not due yet are skipped, not revisited.
 */
export const renewalsJob = defineJob({
  name: "renewals",
  schedule: "0 * * * *",
  killSwitch: "job_renewals",
  dependsOn: ["payments"],
  timeBudgetMs: 50_000,
  batchSize: 50,
  // A charge is not retried within a run: dunning retries it on day 1, 3 and 7.
  maxAttempts: 1,
  run: async (ctx) => {
    let after: { periodEnd: Date; id: string } | null = null;
    while (ctx.hasTime()) {
      const batch = await ctx.db
        .select({ id: subscriptions.id, periodEnd: subscriptions.currentPeriodEnd })
        .from(subscriptions)
        .innerJoin(users, eq(users.id, subscriptions.userId))
        .where(
          and(
            eq(users.status, "active"),
            inArray(subscriptions.status, ["active", "past_due"]),
            ne(subscriptions.plan, "free"),
            lte(subscriptions.currentPeriodEnd, ctx.now),
            after
              ? or(gt(subscriptions.currentPeriodEnd, after.periodEnd), and(eq(subscriptions.currentPeriodEnd, after.periodEnd), gt(subscriptions.id, after.id)))
              : undefined,
          ),
        )
        .orderBy(asc(subscriptions.currentPeriodEnd), asc(subscriptions.id))
        .limit(ctx.batchSize);
      if (batch.length === 0) return;
      after = batch.at(-1)!;
      await ctx.forEachItem(batch, (sub) => renewIfDue(ctx.db, sub, ctx.now, `job:${ctx.runId}`));
      if (batch.length < ctx.batchSize) return;
    }
  },
});
