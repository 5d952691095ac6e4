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
