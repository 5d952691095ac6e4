"use client";

import { useRouter } from "next/navigation";
import { useRef } from "react";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { deactivateAccount, requestAccountDeletion, requestConfirmation } from "./actions";

export function DeactivateButton() {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  // Every session ends with the account paused, this one too.
  const { result, pending, onSubmit } = useGuardedForm(deactivateAccount, { onSuccess: () => router.push("/sign-in") });
  return (
    <>
      <Button type="button" variant="secondary" onClick={() => dialog.current?.showModal()}>
        Deactivate account
      </Button>
      <dialog ref={dialog} aria-labelledby="deactivate-title" className="m-auto max-w-md rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <form onSubmit={onSubmit} className="flex flex-col gap-4">
          <h2 id="deactivate-title" className="text-lg font-semibold">
            Deactivate your account?
          </h2>
          <p className="text-sm text-slate-600">You will be signed out everywhere. Nothing is deleted; sign in again to reactivate.</p>
          <FormMessage result={result} />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" disabled={pending}>
              Deactivate
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}

export function DeleteAccountButton({ userId, email, graceDays }: { userId: string; email: string; graceDays: number }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      triggerLabel="Delete account"
      title="Delete your account permanently?"
      description={`Your account locks now and is deleted for good in ${graceDays} days unless you sign in and cancel.`}
      phrase={email}
      phraseName="email"
      phraseLabel="Type your email address to confirm"
      confirmLabel="Delete my account"
      issue={() => requestConfirmation({ action: "account.delete", targetId: userId })}
      action={requestAccountDeletion}
      onSuccess={() => router.push("/sign-in")}
    >
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
    </ConfirmDialog>
  );
}
