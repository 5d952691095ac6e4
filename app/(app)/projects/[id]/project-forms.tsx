"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { toast } from "@/components/ui/toast";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { deleteProject, renameProject } from "../actions";
import { PROJECT_NAME_MAX_LENGTH } from "@/lib/projects/constants";

export function RenameProjectForm({ projectId, name }: { projectId: string; name: string }) {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(renameProject, { extra: { projectId } });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <Field label="New name" name="name" defaultValue={name} required maxLength={PROJECT_NAME_MAX_LENGTH} error={fieldError("name")} />
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
  const [open, setOpen] = useState(false);
  const { result, pending, onSubmit } = useGuardedForm(deleteProject, {
    extra: { projectId },
    onSuccess: () => {
      setOpen(false);
      toast.success(`“${name}” moved to the trash.`);
      router.push("/projects");
    },
  });
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button type="button" variant="danger">
          Delete project
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={onSubmit} className="flex flex-col gap-4">
          <DialogHeader>
            <DialogTitle>Delete “{name}”?</DialogTitle>
            <DialogDescription>The project and its tasks move to the trash. You can restore them from the trash for {trashDays} days.</DialogDescription>
          </DialogHeader>
          <FormMessage result={result} />
          <DialogFooter>
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Keep it
            </Button>
            <Button type="submit" variant="danger" disabled={pending}>
              Delete
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
