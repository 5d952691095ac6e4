"use client";

import { useState } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { useGuardedForm } from "@/components/use-guarded-form";
import { REASON_MIN_LENGTH } from "@/lib/flags/constants";
import type { ActionResult } from "@/lib/safety/result";

export type SetKillSwitch = (input: unknown) => Promise<ActionResult<unknown>>;

/**
 * One switch's toggle: the button opens a dialog that asks why (and, when
 * turning off, an optional time to turn back on by itself). The outcome is
 * said in a status region beside the button, which outlives the dialog.
 */
export function KillSwitchToggle({ row, action }: { row: { key: string; on: boolean; description: string }; action: SetKillSwitch }) {
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const turnOn = !row.on;
  const verb = turnOn ? "turn on" : "turn off";
  const { result, pending, onSubmit, fieldError } = useGuardedForm(
    // A datetime-local value has no zone: send it as the browser's local time, in ISO.
    (input: unknown) => {
      const values = input as Record<string, string>;
      const until = values.reenableAt ? new Date(values.reenableAt).toISOString() : "";
      return action({ ...values, reenableAt: until });
    },
    {
      extra: { key: row.key, on: turnOn ? "on" : "off" },
      onSuccess: (data) => {
        setOutcome(killSwitchOutcome(row.key, data));
        setOpen(false);
      },
    },
  );
  return (
    <div className="flex flex-col items-start gap-1">
      <Dialog
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (next) setOutcome(null);
        }}
      >
        <DialogTrigger asChild>
          <Button type="button" size="sm" className="h-auto min-h-8 py-1" variant={turnOn ? "primary" : "secondary"}>
            {turnOn ? "Turn on" : "Turn off"} {row.key}
          </Button>
        </DialogTrigger>
        <DialogContent>
          <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
            <DialogHeader>
              <DialogTitle>
                {turnOn ? "Turn on" : "Turn off"} {row.key}?
              </DialogTitle>
              <DialogDescription>
                {row.description}. {turnOn ? "It resumes (in production once a second admin approves)" : "It stops at once"}, in every environment this database serves.
              </DialogDescription>
            </DialogHeader>
            <Field label="Reason" name="reason" required minLength={REASON_MIN_LENGTH} autoComplete="off" error={fieldError("reason")} hint="Recorded in the audit log and shown in the table." />
            {turnOn ? null : (
              <Field
                label="Turn back on at (optional)"
                name="reenableAt"
                type="datetime-local"
                error={fieldError("reenableAt")}
                hint="Your local time. Leave empty to keep it off until someone turns it on."
              />
            )}
            <FormMessage result={result} />
            <DialogFooter>
              <DialogClose asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </DialogClose>
              <Button type="submit" variant={turnOn ? "primary" : "danger"} disabled={pending}>
                Confirm: {verb} {row.key}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
      <p role="status" className={outcome ? "text-xs text-emerald-800" : "sr-only"}>
        {outcome}
      </p>
    </div>
  );
}

/** What a flip did: applied, or (turning back on in production) waiting for a second admin. */
export function killSwitchOutcome(key: string, data: unknown): string {
  const { after, pendingApproval } = data as { after?: { on?: boolean }; pendingApproval?: string | null };
  if (pendingApproval) return `Turning ${key} back on waits for a second admin's approval.`;
  return `${key} is now ${after?.on ? "on" : "off"}.`;
}
