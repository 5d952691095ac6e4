import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { ActionFailure, defineQuery } from "@/lib/procedures";
import { IMPERSONATION_MAX_MINUTES, REASON_MAX } from "./config";
import { viewAsVerdict } from "./eligibility";

// Whether the staff user page offers "view as user" for this account: the same rule that starting one applies.
export const viewAsEligibility = defineQuery({
  name: "impersonation.eligibility",
  permission: "admin:read",
  input: z.object({ userId: z.string().uuid("Unknown user.") }),
  handler: async ({ db, user, input }) => {
    const [target] = await db.select({ id: users.id, role: users.role, status: users.status }).from(users).where(eq(users.id, input.userId));
    if (!target) throw new ActionFailure("not_found", "That user doesn't exist.");
    const verdict = viewAsVerdict(user, target);
    return { allowed: verdict.allowed, reason: verdict.allowed ? null : verdict.reason, maxMinutes: IMPERSONATION_MAX_MINUTES, reasonMax: REASON_MAX };
  },
});
