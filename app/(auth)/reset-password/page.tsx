import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata = { title: "Choose a new password" };

// The link's token is only read here and spent by the form's action: a mail scanner following the link changes nothing.
export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { token } = await searchParams;
  return (
    <div className="mx-auto max-w-sm">
      <PageHeading description="Every device signed in to your account will be signed out.">Choose a new password</PageHeading>
      <Card>
        {typeof token === "string" && token ? (
          <ResetPasswordForm token={token} />
        ) : (
          <p className="text-sm text-slate-700">
            This page needs the link from your email.{" "}
            <Link href="/forgot-password" className="text-sky-800 underline">
              Ask for a new link
            </Link>
          </p>
        )}
      </Card>
    </div>
  );
}
