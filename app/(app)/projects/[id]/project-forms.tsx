"use client";

import { useRouter } from "next/navigation";
import { useRef } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { deleteProject, renameProject } from "../actions";

export function RenameProjectForm({ projectId, name }: { projectId: string; name: string }) {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(renameProject, { extra: { projectId } });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <Field label="New name" name="name" defaultValue={name} required maxLength={80} error={fieldError("name")} />
      <FormMessage result={result} success="Project renamed." />
      <div>
        <Button type="submit" disabled={pending}>
          Rename
        </Button>
      </div>
    </form>
  );
}

export function DeleteProjectButton({ projectId, name, trashDays }: { projectId: string; name: string; trashDays: number }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const { result, pending, onSubmit } = useGuardedForm(deleteProject, {
    extra: { projectId },
    onSuccess: () => {
      dialog.current?.close();
      router.push("/projects");
    },
  });
  return (
    <>
      <Button type="button" variant="danger" onClick={() => dialog.current?.showModal()}>
        Delete project
      </Button>
      <dialog ref={dialog} aria-labelledby="delete-project-title" className="m-auto max-w-md rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <form onSubmit={onSubmit} className="flex flex-col gap-4">
          <h2 id="delete-project-title" className="text-lg font-semibold">
            Delete “{name}”?
          </h2>
          <p className="text-sm text-slate-600">The project and its tasks move to the trash. You can restore them from the trash for {trashDays} days.</p>
          <FormMessage result={result} />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Keep it
            </Button>
            <Button type="submit" variant="danger" disabled={pending}>
              Delete
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
