import { Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { describeAuditEvent, describeDevice, userTimeline } from "@/lib/audit";
import { requireUser } from "@/lib/auth";

export const metadata = { title: "Activity" };
export const dynamic = "force-dynamic";

/** What a user is shown about their own account; staff-side reads of the log are not theirs to see. */
const SHOWN = /^(auth\.|billing\.|project\.|account\.|export|deletion|data\.|user\.role_change|impersonation\.(start|end))/;

export default async function AccountActivityPage() {
  const user = await requireUser();
  const db = await getDb();
  const events = (await userTimeline(db, user.id, { limit: 300 })).filter((e) => SHOWN.test(e.action));
  const pageViews = (await userTimeline(db, user.id, { limit: 1000, actions: ["impersonation.page_view"] })).filter((e) => e.targetId === user.id);
  const viewsBySession = new Map<string, number>();
  for (const v of pageViews) {
    const session = typeof v.metadata.sessionId === "string" ? v.metadata.sessionId : "";
    viewsBySession.set(session, (viewsBySession.get(session) ?? 0) + 1);
  }
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Sign-ins, billing and data changes on your account, and every time our support team viewed it.">Activity</PageHeading>
      <Card>
        {events.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing recorded yet.</p>
        ) : (
          <ol className="divide-y divide-slate-100" aria-label="Account activity">
            {events.map((e) => {
              const reason = typeof e.metadata.reason === "string" ? e.metadata.reason : null;
              const sessionId = typeof e.metadata.sessionId === "string" ? e.metadata.sessionId : null;
              const support = e.action === "impersonation.start";
              return (
                <li key={e.id} className="flex flex-col gap-0.5 py-2 text-sm">
                  <span className={support ? "font-semibold text-amber-900" : "font-medium"}>{describeAuditEvent(e)}</span>
                  <span className="text-xs text-slate-500">
                    {e.occurredAt.toISOString().replace("T", " ").slice(0, 16)} UTC
                    {e.action === "auth.sign_in" ? ` · ${describeDevice(e.userAgent)} · ${e.ip ?? "unknown ip"}` : null}
                  </span>
                  {support ? (
                    <span className="text-xs text-slate-700">
                      Reason: {reason ?? "not given"} · read-only{sessionId && viewsBySession.get(sessionId) ? ` · ${viewsBySession.get(sessionId)} pages viewed` : null}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ol>
        )}
      </Card>
    </div>
  );
}
