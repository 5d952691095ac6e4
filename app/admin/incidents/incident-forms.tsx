"use client";

import { useActionState, useTransition, type FormEvent } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import type { ActionResult } from "@/lib/safety/result";
import { createIncident, discardIncident, scheduleMaintenance, updateIncident } from "./actions";

type Option = { id: string; label: string };

/** Like useGuardedForm, but keeps every checked value of a multi-choice field (joined with commas). */
function useMultiForm<T>(action: (input: unknown) => Promise<ActionResult<T>>, extra: Record<string, string> = {}) {
  const [result, dispatch, pending] = useActionState(async (_: ActionResult<T> | null, form: HTMLFormElement) => {
    const data = new FormData(form);
    const values: Record<string, string> = { ...extra };
    for (const key of new Set(data.keys())) values[key] = data.getAll(key).filter((v): v is string => typeof v === "string").join(",");
    const r = await action(values);
    if (r.ok) form.reset();
    return r;
  }, null);
  const [, start] = useTransition();
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    start(() => dispatch(form));
  };
  const fieldError = (name: string) => (result && !result.ok ? result.fieldErrors?.[name] : undefined);
  return { result, pending, onSubmit, fieldError };
}

function ComponentChoices({ components, error, legend }: { components: Option[]; error?: string; legend: string }) {
  return (
    <fieldset className="flex flex-col gap-1">
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <div className="flex flex-wrap gap-3">
        {components.map((c) => (
          <label key={c.id} className="flex items-center gap-1 text-sm">
            <input type="checkbox" name="components" value={c.id} /> {c.label}
          </label>
        ))}
      </div>
      {error ? <p className="text-sm text-red-700">{error}</p> : null}
    </fieldset>
  );
}

function Select({ label, name, options, defaultValue }: { label: string; name: string; options: readonly string[]; defaultValue?: string }) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
      {label}
      <select name={name} defaultValue={defaultValue} className="rounded-md border border-slate-300 bg-white px-2 py-2 text-sm font-normal">
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

export function NewIncidentForm({ components, impacts, severities, statuses }: { components: Option[]; impacts: readonly string[]; severities: readonly string[]; statuses: readonly string[] }) {
  const { result, pending, onSubmit, fieldError } = useMultiForm(createIncident);
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" aria-label="Post an incident">
      <Field label="Title" name="title" error={fieldError("title")} />
      <div className="flex flex-col gap-1">
        <label htmlFor="incident-message" className="text-sm font-medium text-slate-700">
          First update
        </label>
        <textarea
          id="incident-message"
          name="message"
          rows={3}
          className="rounded-md border border-slate-300 px-3 py-2 text-sm"
          aria-invalid={fieldError("message") ? true : undefined}
          aria-describedby={fieldError("message") ? "incident-message-error" : undefined}
        />
        {fieldError("message") ? (
          <p id="incident-message-error" className="text-sm text-red-700">
            {fieldError("message")}
          </p>
        ) : null}
      </div>
      <ComponentChoices components={components} error={fieldError("components")} legend="Affected components" />
      <div className="flex flex-wrap gap-4">
        <Select label="Impact" name="impact" options={impacts} defaultValue="major" />
        <Select label="Severity" name="severity" options={severities} defaultValue="P2" />
        <Select label="Status" name="status" options={statuses} defaultValue="investigating" />
      </div>
      <div>
        <Button type="submit" disabled={pending}>
          Post incident
        </Button>
      </div>
      <FormMessage result={result} success="Incident posted on /status." />
    </form>
  );
}

export function IncidentUpdateForm({ incidentId, title, statuses, current, isDraft }: { incidentId: string; title: string; statuses: readonly string[]; current: string; isDraft: boolean }) {
  const { result, pending, onSubmit, fieldError } = useMultiForm(updateIncident, { incidentId });
  const discard = useMultiForm(discardIncident, { incidentId });
  return (
    <div className="flex flex-col gap-2">
      <form onSubmit={onSubmit} className="flex flex-col gap-2" aria-label={`Update ${title}`}>
        <div className="flex flex-wrap items-end gap-3">
          <Select label={`Status for ${title}`} name="status" options={statuses} defaultValue={isDraft ? "investigating" : current} />
          <label className="flex min-w-64 flex-1 flex-col gap-1 text-sm font-medium text-slate-700">
            Update message for {title}
            <input name="message" className="rounded-md border border-slate-300 px-3 py-2 text-sm font-normal" />
          </label>
          <Button type="submit" variant="secondary" disabled={pending}>
            {isDraft ? "Publish" : "Post update"}
          </Button>
        </div>
        {fieldError("message") ? <p className="text-sm text-red-700">{fieldError("message")}</p> : null}
        <FormMessage result={result} success={isDraft ? "Published." : "Update posted."} />
      </form>
      {isDraft ? (
        <form onSubmit={discard.onSubmit}>
          <Button type="submit" variant="danger" disabled={discard.pending} aria-label={`Discard draft ${title}`}>
            Discard draft
          </Button>
          <FormMessage result={discard.result} success="Draft discarded." />
        </form>
      ) : null}
    </div>
  );
}

export function MaintenanceForm({ components }: { components: Option[] }) {
  const { result, pending, onSubmit, fieldError } = useMultiForm(scheduleMaintenance);
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" aria-label="Schedule maintenance">
      <Field label="Maintenance title" name="title" error={fieldError("title")} />
      <Field label="Details" name="body" error={fieldError("body")} />
      <ComponentChoices components={components} error={fieldError("components")} legend="Components under maintenance" />
      <div className="flex flex-wrap gap-4">
        <Field label="Starts (UTC)" name="startsAt" type="datetime-local" error={fieldError("startsAt")} />
        <Field label="Ends (UTC)" name="endsAt" type="datetime-local" error={fieldError("endsAt")} />
      </div>
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          Schedule maintenance
        </Button>
      </div>
      <FormMessage result={result} success="Maintenance scheduled." />
    </form>
  );
}
