import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "@/lib/database";
import { impersonationSessions, users } from "@/db/schema";
import type { SessionUser } from "@/lib/auth";
import { decodeImpersonationToken } from "./cookie";
import { viewAsVerdict } from "./eligibility";

/** An active read-only support session, as resolved from the cookie for this request. */
export type ActiveImpersonation = {
  sessionId: string;
  impersonatorId: string;
  impersonatorRole: "support" | "admin";
  impersonatorName: string;
  impersonatorEmail: string;
  reason: string;
  startedAt: Date;
  expiresAt: Date;
  target: SessionUser;
};

/**
 * What the request context carries: who is behind the session (enough for
 * the guards and the audit log; tests pass just these two), plus the
 * session's details when it came from a real cookie.
 */
export type Impersonation = Pick<ActiveImpersonation, "impersonatorId" | "impersonatorRole"> & Partial<ActiveImpersonation>;

const target = alias(users, "target");

/**
 * Resolves the impersonation cookie for the signed-in staff member. Every
 * condition is re-checked on each request: the row exists, has not ended or
 * expired, belongs to this staff member, and the same rule that let them
 * start it (viewAsVerdict) still lets them view that account.
 */
export async function resolveImpersonation(db: Executor, staff: SessionUser, cookieValue: string | undefined, now = new Date()): Promise<ActiveImpersonation | null> {
  const token = decodeImpersonationToken(cookieValue, now.getTime());
  if (!token) return null;
  const [row] = await db
    .select({
      id: impersonationSessions.id,
      reason: impersonationSessions.reason,
      startedAt: impersonationSessions.startedAt,
      expiresAt: impersonationSessions.expiresAt,
      target: { id: target.id, email: target.email, name: target.name, role: target.role, status: target.status },
    })
    .from(impersonationSessions)
    .innerJoin(target, eq(target.id, impersonationSessions.targetUserId))
    .where(
      and(
        eq(impersonationSessions.id, token.sessionId),
        eq(impersonationSessions.impersonatorId, staff.id),
        isNull(impersonationSessions.endedAt),
        gt(impersonationSessions.expiresAt, now),
      ),
    );
  if (!row || !viewAsVerdict(staff, row.target).allowed) return null;
  return {
    sessionId: row.id,
    impersonatorId: staff.id,
    // viewAsVerdict allowed it, so the viewer is support or admin.
    impersonatorRole: staff.role as ActiveImpersonation["impersonatorRole"],
    impersonatorName: staff.name,
    impersonatorEmail: staff.email,
    reason: row.reason,
    startedAt: row.startedAt,
    expiresAt: row.expiresAt,
    target: row.target,
  };
}

/** The cheap pre-check for the data-access guard: a validly signed, unexpired cookie naming an open session. */
export async function isImpersonationCookieActive(db: Executor, cookieValue: string | undefined, now = new Date()): Promise<boolean> {
  const token = decodeImpersonationToken(cookieValue, now.getTime());
  if (!token) return false;
  const [row] = await db
    .select({ id: impersonationSessions.id })
    .from(impersonationSessions)
    .where(and(eq(impersonationSessions.id, token.sessionId), isNull(impersonationSessions.endedAt), gt(impersonationSessions.expiresAt, now)));
  return Boolean(row);
}
