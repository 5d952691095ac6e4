import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit";
import { verifyPassword } from "@/lib/auth";
import { checkRateLimit, refusalMessage } from "@/lib/ratelimit";
import { ActionFailure, type RequestContext } from "@/lib/safety";

/**
 * Re-authentication for sensitive self-service actions (export, account
 * deletion), checked before any transaction opens. Wrong passwords spend a
 * budget of their own (`reauth`, per user), so a typo never costs one of the
 * action's own uses while guessing stays limited; once it is spent even the
 * right password gets the same answer, so a session is no password oracle.
 * Every check is recorded, right or wrong, in the audit log and on the
 * account's own activity page (never the password itself).
 */
export async function reauthenticate(db: Executor, userId: string, given: string, purpose: string, request: RequestContext): Promise<void> {
  const record = (outcome: "success" | "failure" | "denied", extra: Record<string, unknown> = {}) =>
    recordAuditEvent(db, { actor: { type: "user", id: userId }, action: "auth.password_check", target: { type: "user", id: userId }, outcome, metadata: { purpose, ...extra }, request });
  const key = `user:${userId}`;
  const budget = await checkRateLimit("reauth", key, { spend: false });
  if (!budget.allowed) {
    await record("denied", { reason: budget.outcome });
    throw new ActionFailure("rate_limited", refusalMessage(budget.outcome, budget.retryAfterSeconds, "Too many wrong passwords."), { retryAfter: budget.retryAfterSeconds });
  }
  const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  const valid = await verifyPassword(given, row?.passwordHash ?? null);
  await record(valid ? "success" : "failure");
  if (!valid) {
    await checkRateLimit("reauth", key);
    throw new ActionFailure("invalid_input", "That password is not correct. Nothing was changed.", { fieldErrors: { password: "That password is not correct." } });
  }
}
