import "server-only";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/lib/database";
import { users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit";
import { logger } from "@/lib/observability";
import { checkRateLimit, type CheckOptions } from "@/lib/ratelimit";
import { PASSWORD_MAX_LENGTH, type SignInRefusal } from "./constants";
import { verifyPassword } from "./password";
import { clearAccountFailures, isKnownDevice, knownDeviceTag, recordSignInFailure, signInWait, type Attempt } from "./sign-in-throttle";

const credentialsSchema = z.object({ email: z.string().trim().toLowerCase().email().max(320), password: z.string().min(1).max(PASSWORD_MAX_LENGTH) });

export type SignInAttempt = {
  method: "password" | "github";
  email: string;
  userId: string | null;
  outcome: "success" | "failure";
  reason?: SignInRefusal;
  ip: string | null;
  userAgent: string | null;
  /** Which limit refused it (the account, the address, everyone) and for how long. */
  limit?: { scope: string; retryAfterSeconds: number };
};

/**
 * The one place every sign-in outcome passes through, whatever the method:
 * it writes the audit event. The account tried is the target (a refused
 * attempt is recorded against the account it was aimed at); the actor is
 * that account only once it has proved itself.
 */
export async function recordSignInAttempt(attempt: SignInAttempt): Promise<void> {
  const db = await getDb();
  await recordAuditEvent(db, {
    actor: attempt.userId && attempt.outcome === "success" ? { type: "user", id: attempt.userId } : { type: "anonymous", id: null },
    action: "auth.sign_in",
    target: { type: "user", id: attempt.userId },
    outcome: attempt.outcome,
    metadata: { method: attempt.method, reason: attempt.reason, limit: attempt.limit, ip: attempt.ip, userAgent: attempt.userAgent },
  }).catch((error: unknown) => logger.error({ err: error }, "could not record sign-in attempt"));
}

export type AuthenticatedUser = { id: string; email: string; name: string; sessionVersion: number; knownDevice: string };

export type SignInResult = { ok: true; user: AuthenticatedUser } | { ok: false; reason: SignInRefusal; retryAfterSeconds?: number };

type RequestInfo = { ip: string | null; userAgent: string | null; knownDevice?: string | null };

/**
 * Checks email + password, in order of cost: the shape of the input, the
 * address's overall budget (the limiter; fail closed), then the progressive
 * delays for the account, the address and everyone, and only then bcrypt.
 * Every outcome is recorded; a refusal says why when it is not a wrong
 * password, so the real user knows to wait rather than doubt their password.
 */
export async function attemptPasswordSignIn(raw: unknown, request: RequestInfo, limiter: CheckOptions = {}): Promise<SignInResult> {
  const parsed = credentialsSchema.safeParse(raw);
  const base = { method: "password" as const, ip: request.ip, userAgent: request.userAgent };
  if (!parsed.success) {
    await recordSignInAttempt({ ...base, email: "", userId: null, outcome: "failure", reason: "invalid_input" });
    return { ok: false, reason: "invalid_input" };
  }
  const { email, password } = parsed.data;
  const db = await getDb();
  const [user] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  const refuse = async (reason: SignInRefusal, retryAfterSeconds?: number, limit?: SignInAttempt["limit"]): Promise<SignInResult> => {
    await recordSignInAttempt({ ...base, email, userId: user?.id ?? null, outcome: "failure", reason, limit });
    return { ok: false, reason, retryAfterSeconds };
  };

  const budget = await checkRateLimit("sign_in", `ip:${request.ip ?? "unknown"}`, limiter);
  if (!budget.allowed) return refuse(budget.outcome === "limiter_unavailable" ? "limiter_unavailable" : "rate_limited", budget.retryAfterSeconds, { scope: "address", retryAfterSeconds: budget.retryAfterSeconds });

  const attempt: Attempt = { email, address: request.ip, knownDevice: user ? isKnownDevice(request.knownDevice, user.id) : false };
  const wait = await signInWait(attempt);
  if (wait) return refuse(wait.scope === "everyone" ? "unusual_activity" : "rate_limited", wait.retryAfterSeconds, wait);

  const valid = await verifyPassword(password, user?.passwordHash ?? null);
  if (!user || !valid) {
    await recordSignInFailure(attempt);
    return refuse("bad_credentials");
  }
  if (user.status === "suspended") return refuse("suspended");
  await clearAccountFailures(attempt);
  await recordSignInAttempt({ ...base, email, userId: user.id, outcome: "success" });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion, knownDevice: knownDeviceTag(user.id) } };
}

/** The signed-in user, or null with the attempt recorded either way. */
export async function authenticateWithPassword(raw: unknown, request: RequestInfo): Promise<AuthenticatedUser | null> {
  const result = await attemptPasswordSignIn(raw, request);
  return result.ok ? result.user : null;
}
