import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, PageHeading } from "@/components/ui/card";
import { signInGate } from "@/lib/auth/queries";
import { loadPage } from "@/lib/web";
import { SignInForm } from "./sign-in-form";

export const metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const gate = await loadPage(signInGate, { next: (await searchParams).next });
  if (gate.redirectTo) redirect(gate.redirectTo);
  return (
    <div className="mx-auto max-w-sm">
      <PageHeading>Sign in</PageHeading>
      <Card>
        <SignInForm next={gate.next} githubEnabled={gate.githubEnabled} />
      </Card>
      <p className="mt-4 text-sm text-slate-600">
        <Link href="/forgot-password" className="text-sky-800 underline">
          Forgot your password?
        </Link>
      </p>
      <p className="mt-2 text-sm text-slate-600">
        No account yet?{" "}
        <Link href="/sign-up" className="text-sky-800 underline">
          Create one
        </Link>
      </p>
    </div>
  );
}
