"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { signUp } from "./actions";

export function SignUpForm() {
  const router = useRouter();
  const { result, pending, onSubmit, fieldError } = useGuardedForm(signUp, {
    onSuccess: async (_data, form) => {
      const values = new FormData(form);
      await signIn("credentials", { email: values.get("email"), password: values.get("password"), redirect: false });
      router.push("/projects");
      router.refresh();
    },
  });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
      <Field label="Name" name="name" autoComplete="name" required error={fieldError("name")} />
      <Field label="Email" name="email" type="email" autoComplete="email" required error={fieldError("email")} />
      <Field label="Password" name="password" type="password" autoComplete="new-password" required minLength={8} error={fieldError("password")} />
      <FormMessage result={result} success="Account created. Signing you in…" />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
