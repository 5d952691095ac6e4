import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { impersonationSessions, users } from "@/db/schema";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { IMPERSONATION_MAX_MINUTES, REASON_MAX } from "./config";
import { clearImpersonationCookie, setImpersonationCookie } from "./cookie-store";
import { viewAsVerdict } from "./eligibility";

const startInput = z.object({
  userId: z.string().uuid("Unknown user."),
  reason: z
    .string()
    .trim()
    .min(3, "Give the reason, e.g. a ticket reference.")
    .max(REASON_MAX, `Keep the reason under ${REASON_MAX} characters.`),
});

// Support and admins view an account read-only, with a stated reason; the user is told by email.
export const startImpersonation = defineAction({
  name: "impersonation.start",
  permission: "support:write",
  rateLimit: { policy: "impersonation_start", by: "user" },
  input: startInput,
  handler: async ({ tx, user, input, request, notify }) => {
    // Defence in depth: the guarded path already refuses every action but "exit" while impersonating.
    if (request.impersonation) throw new ActionFailure("forbidden", "End the current support session before starting another.");
    const [target] = await tx
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status })
      .from(users)
      .where(eq(users.id, input.userId));
    if (!target) throw new ActionFailure("not_found", "That user doesn't exist (it may have been deleted).");
    const verdict = viewAsVerdict(user, target);
    if (!verdict.allowed) throw new ActionFailure(verdict.code, verdict.reason);
    const now = new Date();
    const [open] = await tx
      .select({ id: impersonationSessions.id })
      .from(impersonationSessions)
      .where(and(eq(impersonationSessions.impersonatorId, user.id), isNull(impersonationSessions.endedAt), gt(impersonationSessions.expiresAt, now)))
      .for("update");
    if (open) {
      // A session left open in another tab ends here: one staff member, one view at a time.
      await tx.update(impersonationSessions).set({ endedAt: now }).where(eq(impersonationSessions.id, open.id));
    }
    const expiresAt = new Date(now.getTime() + IMPERSONATION_MAX_MINUTES * 60_000);
    const [session] = await tx
      .insert(impersonationSessions)
      .values({ impersonatorId: user.id, targetUserId: target.id, reason: input.reason, startedAt: now, expiresAt })
      .returning({ id: impersonationSessions.id });
    await notify({
      userId: target.id,
      to: target.email,
      template: "impersonation_started",
      subject: "Breakwater support is viewing your account",
      body:
        `${user.name} from Breakwater support started a read-only view of your account at ${now.toISOString()}.\n` +
        `Reason: ${input.reason}\nIt ends by ${expiresAt.toISOString()}. Nothing can be changed during it. ` +
        `You can see every support session under Account → Activity.`,
    });
    return { sessionId: session!.id, expiresAt, targetUserId: target.id, replacedSessionId: open?.id ?? null };
  },
  afterCommit: async ({ data }) => {
    await setImpersonationCookie({ sessionId: data.sessionId, expiresAt: data.expiresAt.getTime() });
  },
  audit: {
    action: "impersonation.start",
    target: ({ input }) => ({ type: "user", id: input.userId }),
    metadata: ({ input, data }) => ({ reason: input.reason, sessionId: data?.sessionId, expiresAt: data?.expiresAt?.toISOString(), replacedSessionId: data?.replacedSessionId ?? undefined }),
  },
});

// Ends the support session on demand; the one thing (with page views) allowed while read-only.
export const endImpersonation = defineAction({
  name: "impersonation.end",
  permission: "self:write",
  allowDuringImpersonation: true,
  input: z.object({}).strict(),
  handler: async ({ tx, request }) => {
    const current = request.impersonation;
    if (!current?.sessionId || !current.target) throw new ActionFailure("not_found", "No support session is active.");
    await tx
      .update(impersonationSessions)
      .set({ endedAt: new Date() })
      .where(and(eq(impersonationSessions.id, current.sessionId), isNull(impersonationSessions.endedAt)));
    return { sessionId: current.sessionId, targetUserId: current.target.id, impersonatorId: current.impersonatorId, impersonatorRole: current.impersonatorRole };
  },
  afterCommit: async () => {
    await clearImpersonationCookie();
  },
  audit: {
    action: "impersonation.end",
    target: ({ data }) => ({ type: "user", id: data?.targetUserId ?? null }),
    metadata: ({ data }) => ({ sessionId: data?.sessionId }),
    actor: ({ data }) => (data ? { type: data.impersonatorRole, id: data.impersonatorId } : { type: "anonymous", id: null }),
  },
});

// Each page a support session views is recorded (sampled per lib/audit/retention.ts); nothing else changes.
export const recordImpersonationPageView = defineAction({
  name: "impersonation.page_view",
  permission: "self:write",
  allowDuringImpersonation: true,
  input: z.object({ path: z.string().trim().min(1).max(500, "Path too long.").startsWith("/", "Not an app path.") }),
  handler: async ({ request, input }) => {
    const current = request.impersonation;
    if (!current?.sessionId || !current.target) throw new ActionFailure("forbidden", "No support session is active.");
    return { sessionId: current.sessionId, targetUserId: current.target.id, impersonatorId: current.impersonatorId, impersonatorRole: current.impersonatorRole, path: input.path };
  },
  audit: {
    action: "impersonation.page_view",
    target: ({ data }) => ({ type: "user", id: data?.targetUserId ?? null }),
    metadata: ({ input, data }) => ({ path: input.path, sessionId: data?.sessionId }),
    actor: ({ data }) => (data ? { type: data.impersonatorRole, id: data.impersonatorId } : { type: "anonymous", id: null }),
  },
});
