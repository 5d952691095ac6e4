import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { VerifyEmailForm } from "./verify-email-form";

export const metadata = { title: "Confirm your email address" };

// A button spends the token, not the page load: a mail scanner prefetching the link must not confirm the address.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-sm">
      <PageHeading>Confirm your email address</PageHeading>
      <Card>
        {typeof token === "string" && token ? (
          <VerifyEmailForm token={token} />
        ) : (
          <p className="text-sm text-slate-700">
            This page needs the link from your email. Signed in? You can ask for a new one on{" "}
            <Link href="/account" className="text-sky-800 underline">
              your account page
            </Link>
            .
          </p>
        )}
      </Card>
    </div>
  );
}
