import { desc } from "drizzle-orm";
import { AccessDenied, Card, PageHeading } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { userWithPermission } from "@/lib/auth";

export const metadata = { title: "Outbox" };

export default async function OutboxPage() {
  if (!(await userWithPermission("admin:read"))) return <AccessDenied />;
  const db = await getDb();
  const mails = await db.select().from(emailOutbox).orderBy(desc(emailOutbox.createdAt)).limit(100);
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
                  {mail.createdAt.toISOString()} → {mail.toEmail}
                </p>
                <p className="font-medium">{mail.subject}</p>
                <p className="whitespace-pre-wrap text-sm text-slate-700">{mail.body}</p>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
