"use client";

import { useRouter } from "next/navigation";
// Server actions are the one thing a component takes from app/: they are the thin 'use server' wrappers of lib actions.
import { adminCancelDeletion, adminRestoreProject, liftLegalHold, placeLegalHold, purgeAccountNow, requestConfirmation } from "@/app/admin/lifecycle/actions";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";

export function AdminRestoreButton({ userId, projectId, name }: { userId: string; projectId: string; name: string }) {
  const { result, pending, onSubmit } = useGuardedForm(adminRestoreProject, { extra: { userId, projectId } });
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      <FormMessage result={result} />
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Restore ${name}`}>
        Restore
      </Button>
    </form>
  );
}

export function CancelDeletionButton({ userId }: { userId: string }) {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(adminCancelDeletion, { extra: { userId } });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2" noValidate>
      <Field label="Reason for cancelling (the user is emailed it)" name="reason" required maxLength={500} error={fieldError("reason")} />
      <FormMessage result={result} success="Deletion cancelled; the user has been emailed." />
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          Cancel deletion
        </Button>
      </div>
    </form>
  );
}

export function LegalHoldForm({ userId }: { userId: string }) {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(placeLegalHold, { extra: { userId } });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2" noValidate>
      <Field label="Reason for the legal hold" name="reason" required maxLength={500} error={fieldError("reason")} />
      <FormMessage result={result} success="Legal hold placed." />
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          Place legal hold
        </Button>
      </div>
    </form>
  );
}

export function LiftHoldButton({ userId }: { userId: string }) {
  const { result, pending, onSubmit } = useGuardedForm(liftLegalHold, { extra: { userId } });
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      <FormMessage result={result} />
      <Button type="submit" variant="secondary" disabled={pending}>
        Lift legal hold
      </Button>
    </form>
  );
}

export function PurgeNowButton({ userId, email }: { userId: string; email: string }) {
  const router = useRouter();
  return (
    <ConfirmDialog
      triggerLabel="Purge now"
      title="Purge this account now?"
      description="Personal data is deleted immediately and permanently; invoices and audit events are kept under a tombstone id. This cannot be undone."
      phrase={email}
      phraseLabel="Type the account's email to confirm"
      confirmLabel="Purge account"
      done="Account purged."
      issue={() => requestConfirmation({ action: "account.purge", targetId: userId })}
      action={purgeAccountNow}
      extra={{ userId }}
      onSuccess={() => router.push("/admin/users")}
    />
  );
}
