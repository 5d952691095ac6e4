import Link from "next/link";
import { redirect } from "next/navigation";
import { Card, PageHeading } from "@/components/ui/card";
import { getSessionUser } from "@/lib/auth";
import { SignUpForm } from "./sign-up-form";

export const metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getSessionUser()) redirect("/projects");
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
