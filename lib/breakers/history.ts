import "server-only";
import { desc, eq } from "drizzle-orm";
import { breakerTransitions } from "@/db/schema";
import type { Executor } from "@/lib/database";

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
 * Since when the breaker has been closed without a break, from the same
 * history; null when it is not closed now. A breaker with no history has
 * never been unhealthy: healthy since the epoch.
 */
export async function healthySince(db: Executor, breaker: string): Promise<Date | null> {
  const [last] = await db
    .select({ to: breakerTransitions.toState, at: breakerTransitions.at })
    .from(breakerTransitions)
    .where(eq(breakerTransitions.name, breaker))
    .orderBy(desc(breakerTransitions.at), desc(breakerTransitions.id))
    .limit(1);
  if (!last) return new Date(0);
  return last.to.startsWith("closed") ? last.at : null;
}
