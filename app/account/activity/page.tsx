import { Card, PageHeading } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date";
import { accountActivity } from "@/lib/accounts/queries";
import { loadPage } from "@/lib/web";

export const metadata = { title: "Activity" };
export const dynamic = "force-dynamic";

export default async function AccountActivityPage() {
  const { events } = await loadPage(accountActivity);
  return (
    <div className="flex flex-col gap-6">
      <PageHeading description="Sign-ins, billing and data changes on your account, and every time our support team viewed it.">Activity</PageHeading>
      <Card>
        {events.length === 0 ? (
          <p className="text-sm text-slate-600">Nothing recorded yet.</p>
        ) : (
          <ol className="divide-y divide-slate-100" aria-label="Account activity">
            {events.map((e) => (
              <li key={e.id} className="flex flex-col gap-0.5 py-2 text-sm">
                <span className={e.supportSession ? "font-semibold text-amber-900" : "font-medium"}>{e.sentence}</span>
                <span className="text-xs text-slate-500">
                  <DateTime value={e.occurredAt} />
                  {e.signIn ? ` · ${e.signIn.device} · ${e.signIn.ip ?? "unknown IP address"}` : null}
                </span>
                {e.supportSession ? (
                  <span className="text-xs text-slate-700">
                    Reason: {e.supportSession.reason ?? "not given"} · read-only{e.supportSession.pagesViewed ? ` · ${e.supportSession.pagesViewed} pages viewed` : null}
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}
