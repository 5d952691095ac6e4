"use client";

import { useRouter } from "next/navigation";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { deactivateAccount, requestAccountDeletion, requestConfirmation } from "./actions";

export function DeactivateButton() {
  const router = useRouter();
  // Every session ends with the account paused, this one too.
  const { result, pending, onSubmit } = useGuardedForm(deactivateAccount, { onSuccess: () => router.push("/sign-in") });
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button type="button" variant="secondary">
          Deactivate account
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="flex flex-col gap-4">
          <DialogHeader>
            <DialogTitle>Deactivate your account?</DialogTitle>
            <DialogDescription>You will be signed out everywhere. Nothing is deleted; sign in again to reactivate.</DialogDescription>
          </DialogHeader>
          <FormMessage result={result} />
          <DialogFooter>
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                Cancel
              </Button>
            </DialogClose>
            <Button type="submit" disabled={pending}>
              Deactivate
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
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
      done="Account deletion requested."
      onSuccess={() => router.push("/sign-in")}
    >
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
    </ConfirmDialog>
  );
}
