"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signInRefusalMessage } from "@/lib/auth/constants";
import { fail, type ActionError } from "@/lib/safety/result";

export function SignInForm({ next, githubEnabled }: { next: string; githubEnabled: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<ActionError | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const result = await signIn("credentials", { email: form.get("email"), password: form.get("password"), redirect: false });
    if (!result || result.error) {
      // A wrong password reads as one; a limit, an outage or a suspension says so (and how long to wait).
      setError(fail("unauthenticated", signInRefusalMessage(result?.code)));
      setPending(false);
      return;
    }
    router.push(next);
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
        <Field label="Email" name="email" type="email" autoComplete="email" required />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required />
        <FormMessage result={error} />
        <Button type="submit" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {githubEnabled ? (
        <Button type="button" variant="secondary" onClick={() => signIn("github", { redirectTo: next })}>
          Sign in with GitHub
        </Button>
      ) : null}
    </div>
  );
}
