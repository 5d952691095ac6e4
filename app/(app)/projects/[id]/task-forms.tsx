"use client";

import { useRef } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { createTask, deleteTask } from "../actions";
import { TASK_TITLE_MAX_LENGTH } from "@/lib/projects/constants";

export function CreateTaskForm({ projectId }: { projectId: string }) {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(createTask, { extra: { projectId }, onSuccess: (_, form) => form.reset() });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <Field label="Task title" name="title" required maxLength={TASK_TITLE_MAX_LENGTH} error={fieldError("title")} />
      <FormMessage result={result} />
      <div>
        <Button type="submit" disabled={pending}>
          Add task
        </Button>
      </div>
    </form>
  );
}

export function DeleteTaskButton({ taskId, title }: { taskId: string; title: string }) {
  const form = useRef<HTMLFormElement>(null);
  const { result, pending, onSubmit } = useGuardedForm(deleteTask, { extra: { taskId } });
  return (
    <form ref={form} onSubmit={onSubmit} className="flex items-center gap-2">
      <FormMessage result={result} />
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Delete task ${title}`}>
        Delete
      </Button>
    </form>
  );
}
