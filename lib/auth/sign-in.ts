import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit";
import { logger } from "@/lib/observability/logger";
import { checkRateLimit } from "@/lib/ratelimit";
import { verifyPassword } from "./password";

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(200) });

export type SignInAttempt = {
  method: "password" | "github";
  email: string;
  userId: string | null;
  outcome: "success" | "failure";
  reason?: "bad_credentials" | "rate_limited" | "inactive" | "invalid_input";
  ip: string | null;
  userAgent: string | null;
};

/**
 * The one place every sign-in outcome passes through, whatever the method:
 * it writes the audit event (and the rate-limit issue adds lockout here).
 */
export async function recordSignInAttempt(attempt: SignInAttempt): Promise<void> {
  const db = await getDb();
  await recordAuditEvent(db, {
    actor: attempt.userId ? { type: "user", id: attempt.userId } : { type: "anonymous", id: null },
    action: "auth.sign_in",
    target: { type: "user", id: attempt.userId },
    outcome: attempt.outcome,
    metadata: { method: attempt.method, reason: attempt.reason, ip: attempt.ip, userAgent: attempt.userAgent },
  }).catch((error: unknown) => logger.error({ err: error }, "could not record sign-in attempt"));
}

export type AuthenticatedUser = { id: string; email: string; name: string; sessionVersion: number };

/** Checks email + password. Returns the user, or null with the attempt recorded either way. */
export async function authenticateWithPassword(
  raw: unknown,
  request: { ip: string | null; userAgent: string | null },
): Promise<AuthenticatedUser | null> {
  const parsed = credentialsSchema.safeParse(raw);
  const base = { method: "password" as const, ip: request.ip, userAgent: request.userAgent };
  if (!parsed.success) {
    await recordSignInAttempt({ ...base, email: "", userId: null, outcome: "failure", reason: "invalid_input" });
    return null;
  }
  const { email, password } = parsed.data;
  const limited = await checkRateLimit("sign_in", `email:${email}`);
  if (!limited.allowed) {
    await recordSignInAttempt({ ...base, email, userId: null, outcome: "failure", reason: "rate_limited" });
    return null;
  }
  const db = await getDb();
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  const valid = await verifyPassword(password, user?.passwordHash ?? null);
  if (!user || !valid) {
    await recordSignInAttempt({ ...base, email, userId: user?.id ?? null, outcome: "failure", reason: "bad_credentials" });
    return null;
  }
  await recordSignInAttempt({ ...base, email, userId: user.id, outcome: "success" });
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}
