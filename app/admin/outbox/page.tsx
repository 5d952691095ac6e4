import { Card, PageHeading } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date";
import { outboxMessages } from "@/lib/providers/queries";
import { loadPage } from "@/lib/web";

export const metadata = { title: "Outbox" };

export default async function OutboxPage() {
  const mails = await loadPage(outboxMessages);
  return (
    <div>
      <PageHeading description="Emails the development email provider has sent.">Outbox</PageHeading>
      <Card>
        {mails.length === 0 ? (
          <p className="text-slate-600">No emails sent yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {mails.map((mail) => (
              <li key={mail.id} className="py-3">
                <p className="text-sm text-slate-500">
                  <DateTime value={mail.createdAt} precision="second" /> → {mail.toEmail}
                </p>
                <p className="font-medium">{mail.subject}</p>
                {mail.body === null ? <p className="text-xs text-slate-500">Message body hidden (admins only).</p> : <p className="whitespace-pre-wrap text-sm text-slate-700">{mail.body}</p>}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
