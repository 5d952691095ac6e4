"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { requestExport } from "./actions";

export function ExportForm() {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(requestExport, {
    // The link is single-use and expires in 5 minutes: follow it at once to start the download.
    onSuccess: (data) => window.location.assign(data.url),
  });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" noValidate>
      <fieldset className="flex gap-4 text-sm">
        <legend className="mb-1 font-medium text-slate-700">Format</legend>
        <label className="flex items-center gap-1">
          <input type="radio" name="format" value="zip" defaultChecked /> ZIP (files + README + manifest)
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="format" value="json" /> JSON (one file)
        </label>
      </fieldset>
      <Field label="Password" name="password" type="password" autoComplete="current-password" required error={fieldError("password")} />
      <FormMessage result={result} success="Your download is starting." />
      <div>
        <Button type="submit" disabled={pending}>
          Export my data
        </Button>
      </div>
    </form>
  );
}
