"use client";

import { useState } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import type { ActionResult } from "@/lib/safety/result";

/** Turns read-only maintenance on or off, with a reason and a confirmation step. */
export function MaintenanceForm({ on, action }: { on: boolean; action: (input: unknown) => Promise<ActionResult<unknown>> }) {
  const [confirming, setConfirming] = useState(false);
  const verb = on ? "End maintenance" : "Start maintenance";
  const { result, pending, onSubmit, fieldError } = useGuardedForm(action, {
    extra: { on: on ? "off" : "on" },
    onSuccess: (_, form) => {
      form.reset();
      setConfirming(false);
    },
  });
  return (
    <form onSubmit={onSubmit} className="mt-3 flex flex-col gap-2 sm:max-w-md">
      <label className="text-sm font-medium" htmlFor="maintenance-reason">
        Reason
      </label>
      <input
        id="maintenance-reason"
        name="reason"
        required
        minLength={3}
        placeholder={on ? "Why it can end now" : "Why the app must not change"}
        aria-invalid={fieldError("reason") ? true : undefined}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm"
      />
      {confirming ? (
        <div className="flex gap-2">
          <Button type="submit" variant={on ? "primary" : "danger"} disabled={pending}>
            Confirm: {verb.toLowerCase()}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button type="button" variant={on ? "primary" : "danger"} onClick={() => setConfirming(true)}>
          {verb}
        </Button>
      )}
      {/* Worded from the result, not the props: the page re-renders with the new state before this shows. */}
      <FormMessage result={result} success={result?.ok ? `Maintenance is now ${(result.data as { after?: { active?: boolean } }).after?.active ? "on" : "off"}.` : undefined} />
    </form>
  );
}
