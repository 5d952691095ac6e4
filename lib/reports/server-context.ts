import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { auditEvents } from "@/db/schema";
import type { SessionUser } from "@/lib/auth";
import { evaluateFlagsForVisitor } from "@/lib/flags";
import type { RequestContext } from "@/lib/safety";

export const RECENT_AUDIT_EVENTS = 10;

export type ServerContext = {
  userId: string | null;
  role: string | null;
  impersonation: { active: boolean; impersonatorId: string | null; impersonatorRole: string | null };
  flags: Record<string, unknown>;
  recentAudit: { id: number; occurredAt: string; action: string; outcome: string; targetType: string | null; targetId: string | null }[];
  requestId: string;
  userAgent: string | null;
  receivedAt: string;
};

/** The value each flag (kill switches included) had for this user when they reported: values only, never the rules. */
export async function flagsForReport(user: SessionUser | null): Promise<Record<string, unknown>> {
  const evaluations = await evaluateFlagsForVisitor(user);
  return Object.fromEntries(Object.entries(evaluations).map(([key, e]) => [key, e.variant ? `${String(e.value)} (${e.variant})` : e.value]));
}

/**
 * What the server attaches to a report on its own authority: never taken
 * from the browser. Runs outside the report's transaction.
 */
export async function collectServerContext(db: Executor, user: SessionUser | null, request: RequestContext): Promise<ServerContext> {
  const recentAudit = user
    ? await db
        .select({
          id: auditEvents.id,
          occurredAt: auditEvents.occurredAt,
          action: auditEvents.action,
          outcome: auditEvents.outcome,
          targetType: auditEvents.targetType,
          targetId: auditEvents.targetId,
        })
        .from(auditEvents)
        .where(eq(auditEvents.actorId, user.id))
        .orderBy(desc(auditEvents.id))
        .limit(RECENT_AUDIT_EVENTS)
    : [];
  return {
    userId: user?.id ?? null,
    role: user?.role ?? null,
    impersonation: {
      active: request.impersonation !== null,
      impersonatorId: request.impersonation?.impersonatorId ?? null,
      impersonatorRole: request.impersonation?.impersonatorRole ?? null,
    },
    flags: await flagsForReport(user),
    recentAudit: recentAudit.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
    requestId: request.requestId,
    userAgent: request.userAgent,
    receivedAt: new Date().toISOString(),
  };
}
