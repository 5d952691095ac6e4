import { Card, PageHeading } from "@/components/ui/card";
import { UnsubscribeForm } from "./unsubscribe-form";

export const metadata = { title: "Stop optional emails" };

// The link from an email's List-Unsubscribe: opting out takes a click on this page, so a mail scanner following the link changes nothing.
export default async function UnsubscribePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { email, token } = await searchParams;
  return (
    <div className="mx-auto max-w-sm">
      <PageHeading description="Optional notices only: mail about your account, security and billing still arrives.">Stop optional emails</PageHeading>
      <Card>
        {typeof email === "string" && typeof token === "string" ? (
          <UnsubscribeForm email={email} token={token} />
        ) : (
          <p className="text-sm text-slate-700">This page needs the link from one of our emails.</p>
        )}
      </Card>
    </div>
  );
}
