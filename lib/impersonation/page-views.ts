import "server-only";
import type { Executor } from "@/lib/database";
import { recordAuditEvent } from "@/lib/audit";
import type { ActiveImpersonation } from "./session";

/**
 * Records one page a read-only support session viewed. Called by the server
 * while it renders the page (lib/auth/session.ts), once per page request:
 * the record does not depend on the browser running anything, and a
 * prefetch, a server action or an idle tab records nothing.
 */
export async function recordSupportPageView(
  db: Executor,
  session: ActiveImpersonation,
  page: { path: string; request: { requestId: string; ip: string | null; userAgent: string | null } },
): Promise<void> {
  await recordAuditEvent(db, {
    actor: { type: session.impersonatorRole, id: session.impersonatorId },
    action: "impersonation.page_view",
    target: { type: "user", id: session.target.id },
    outcome: "success",
    metadata: { path: page.path.slice(0, 500), sessionId: session.sessionId, recordedBy: "server" },
    request: { ...page.request, impersonation: { impersonatorId: session.impersonatorId } },
  });
}
