"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { decideAccessChange, requestAccessChange } from "./actions";

type Kind = { kind: string; label: string };

/** One admin asks for an access change with a reason; nothing happens until a second admin approves it. */
export function RequestAccessForm({ userId, kinds }: { userId: string; kinds: Kind[] }) {
  const { result, pending, onSubmit, fieldError } = useGuardedForm(requestAccessChange, { extra: { userId } });
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-2" noValidate>
      <div className="flex flex-col gap-1">
        <label htmlFor="access-kind" className="text-sm font-medium text-slate-700">
          Change
        </label>
        <select id="access-kind" name="kind" className="rounded-md border border-slate-300 px-2 py-2 text-sm">
          {kinds.map((k) => (
            <option key={k.kind} value={k.kind}>
              {k.label}
            </option>
          ))}
        </select>
      </div>
      <Field label="Reason for the access change" name="reason" required maxLength={500} error={fieldError("reason")} />
      <FormMessage result={result} success="Requested. A second admin must approve it before anything changes." />
      <div>
        <Button type="submit" variant="secondary" disabled={pending}>
          Ask a second admin
        </Button>
      </div>
    </form>
  );
}

export function DecideAccessForm({ requestId, label }: { requestId: string; label: string }) {
  const { result, pending, onSubmit } = useGuardedForm(decideAccessChange, { extra: { requestId } });
  return (
    <form onSubmit={onSubmit} className="mt-2 flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`decide-${requestId}`}>
        Reason for your decision on {label}
      </label>
      <input id={`decide-${requestId}`} name="reason" required minLength={5} placeholder="Reason (required)" className="rounded-md border border-slate-300 px-2 py-1 text-sm" />
      <Button type="submit" name="decision" value="approve" disabled={pending}>
        Approve: {label}
      </Button>
      <Button type="submit" variant="secondary" name="decision" value="reject" disabled={pending}>
        Reject: {label}
      </Button>
      <FormMessage result={result} success="Decision recorded." />
    </form>
  );
}
