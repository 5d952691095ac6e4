import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, PageHeading } from "@/components/ui/card";
import { getSessionUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { SignInForm } from "./sign-in-form";

export const metadata = { title: "Sign in" };

/** Only same-site paths are accepted as a post-sign-in destination (no open redirect). */
function safeNext(value: string | string[] | undefined): string {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") ? value : "/projects";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = safeNext((await searchParams).next);
  if (await getSessionUser()) redirect(next);
  return (
    <div className="mx-auto max-w-sm">
      <PageHeading>Sign in</PageHeading>
      <Card>
        <SignInForm next={next} githubEnabled={env.githubAuthEnabled} />
      </Card>
      <p className="mt-4 text-sm text-slate-600">
        No account yet?{" "}
        <Link href="/sign-up" className="text-sky-800 underline">
          Create one
        </Link>
      </p>
    </div>
  );
}
