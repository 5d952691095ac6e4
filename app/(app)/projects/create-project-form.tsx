"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { createProject } from "./actions";
import { PROJECT_NAME_MAX_LENGTH } from "@/lib/projects/constants";

export function CreateProjectForm() {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(createProject, { onSuccess: (_data, form) => form.reset() });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <Field label="Project name" name="name" required maxLength={PROJECT_NAME_MAX_LENGTH} error={fieldError("name")} />
      <FormMessage result={result} success={result?.ok ? `Project "${result.data.name}" created.` : undefined} />
      <div>
        <Button type="submit" disabled={pending}>
          Create project
        </Button>
      </div>
    </form>
  );
}
