import Link from "next/link";
import { Card, PageHeading } from "@/components/ui/card";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata = { title: "Forgot your password" };

export default function ForgotPasswordPage() {
  return (
    <div className="mx-auto max-w-sm">
      <PageHeading description="We'll email you a link to choose a new one.">Forgot your password?</PageHeading>
      <Card>
        <ForgotPasswordForm />
      </Card>
      <p className="mt-4 text-sm text-slate-600">
        Remembered it?{" "}
        <Link href="/sign-in" className="text-sky-800 underline">
          Sign in
        </Link>
      </p>
    </div>
  );
}
