import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, PageHeading } from "@/components/ui/card";
import { signInGate } from "@/lib/auth/queries";
import { loadPage } from "@/lib/web";
import { SignUpForm } from "./sign-up-form";

export const metadata = { title: "Create an account" };

export default async function SignUpPage() {
  const gate = await loadPage(signInGate);
  if (gate.redirectTo) redirect(gate.redirectTo);
  return (
    <div className="mx-auto max-w-sm">
      <PageHeading description="Free plan, no card needed.">Create an account</PageHeading>
      <Card>
        <SignUpForm />
      </Card>
      <p className="mt-4 text-sm text-slate-600">
        Already have an account?{" "}
        <Link href="/sign-in" className="text-sky-800 underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
