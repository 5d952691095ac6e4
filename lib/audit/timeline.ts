import "server-only";
import type { Executor } from "@/lib/database";
import { SUBJECT_VISIBLE_ACTIONS } from "./catalogue";
import { describeAuditEvent, describeDevice } from "./describe";
import { userTimeline } from "./query";

/** One line of a person's own activity page: a sentence, never an action code. */
export type SubjectEvent = {
  id: number;
  occurredAt: Date;
  sentence: string;
  /** For a sign-in: where it came from. */
  signIn: { device: string; ip: string | null } | null;
  /** For a support session: the reason staff gave and how many pages they viewed. */
  supportSession: { reason: string | null; pagesViewed: number } | null;
};

const text = (value: unknown) => (typeof value === "string" ? value : null);

/**
 * What a user is shown about their own account: the events the catalogue
 * lets its subject see, newest first, each as a sentence. Support sessions
 * carry their page count instead of listing every page viewed.
 */
export async function subjectTimeline(db: Executor, userId: string, limit = 300): Promise<SubjectEvent[]> {
  const [events, pageViews] = await Promise.all([
    userTimeline(db, userId, { limit, actions: SUBJECT_VISIBLE_ACTIONS }),
    userTimeline(db, userId, { limit: 1000, actions: ["impersonation.page_view"] }),
  ]);
  const viewsBySession = new Map<string, number>();
  for (const view of pageViews) {
    if (view.targetId !== userId) continue;
    const session = text(view.metadata.sessionId) ?? "";
    viewsBySession.set(session, (viewsBySession.get(session) ?? 0) + 1);
  }
  return events.map((e) => {
    const sessionId = text(e.metadata.sessionId);
    return {
      id: e.id,
      occurredAt: e.occurredAt,
      sentence: describeAuditEvent(e),
      signIn: e.action === "auth.sign_in" ? { device: describeDevice(e.userAgent), ip: e.ip } : null,
      supportSession: e.action === "impersonation.start" ? { reason: text(e.metadata.reason), pagesViewed: (sessionId && viewsBySession.get(sessionId)) || 0 } : null,
    };
  });
}
