"use client";

import { ConfirmDialog } from "@/components/confirm-dialog";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { EMPTY_TRASH_PHRASE } from "@/lib/projects/constants";
import { useGuardedForm } from "@/components/use-guarded-form";
import { emptyTrash, purgeProject, requestConfirmation, restoreProject } from "../actions";

export function RestoreProjectButton({ projectId, name }: { projectId: string; name: string }) {
  const { result, pending, onSubmit } = useGuardedForm(restoreProject, { extra: { projectId } });
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      <FormMessage result={result} />
      <Button type="submit" disabled={pending} aria-label={`Restore ${name}`}>
        Restore
      </Button>
    </form>
  );
}

export function PurgeProjectButton({ projectId, name }: { projectId: string; name: string }) {
  return (
    <ConfirmDialog
      triggerLabel={`Delete ${name} forever`}
      title={`Delete “${name}” forever?`}
      description="The project and its tasks are deleted permanently. This cannot be undone."
      phrase={name}
      phraseLabel={`Type ${name} to confirm`}
      confirmLabel="Delete forever"
      done={`“${name}” deleted forever.`}
      issue={() => requestConfirmation({ action: "project.purge", targetId: projectId })}
      action={purgeProject}
      extra={{ projectId }}
    />
  );
}

export function EmptyTrashButton({ userId, count }: { userId: string; count: number }) {
  return (
    <ConfirmDialog
      triggerLabel="Empty trash"
      title="Empty the trash?"
      description={`${count === 1 ? "1 project and its tasks are" : `${count} projects and their tasks are`} deleted permanently. This cannot be undone.`}
      phrase={EMPTY_TRASH_PHRASE}
      phraseLabel={`Type ${EMPTY_TRASH_PHRASE} to confirm`}
      confirmLabel="Empty trash"
      done="Trash emptied."
      issue={() => requestConfirmation({ action: "trash.empty", targetId: userId })}
      action={emptyTrash}
    />
  );
}
