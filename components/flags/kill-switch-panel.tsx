"use client";

import { useState } from "react";
import { FormMessage } from "@/components/form-message";
import { RunbookLink } from "@/components/runbooks/runbook-link";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import type { ActionResult } from "@/lib/safety/result";

export type KillSwitchRow = {
  key: string;
  on: boolean;
  description: string;
  reason: string;
  reenableAt: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
  runbook?: { slug: string; title: string } | null;
};

type SetKillSwitch = (input: unknown) => Promise<ActionResult<unknown>>;

/** All kill switches at a glance; admins flip one with a reason and a confirmation step. */
export function KillSwitchPanel({ rows, canChange, action }: { rows: KillSwitchRow[]; canChange: boolean; action: SetKillSwitch }) {
  return (
    <table className="w-full text-left text-sm">
      <thead className="text-slate-500">
        <tr>
          <th className="py-2">Kill switch</th>
          <th>State</th>
          <th>Last change</th>
          {canChange ? <th>Change</th> : null}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={row.key} className="align-top">
            <td className="py-2">
              <span className="font-mono">{row.key}</span>
              <span className="block text-xs text-slate-500">{row.description}</span>
              <RunbookLink runbook={row.runbook ?? null} />
            </td>
            <td>
              {row.on ? (
                <span className="text-emerald-700">On</span>
              ) : (
                <span className="font-semibold text-red-700">Off{row.reason === "override" ? " (env override)" : ""}</span>
              )}
              {row.reenableAt ? <span className="block text-xs text-slate-500">Back on at {new Date(row.reenableAt).toISOString().replace("T", " ").slice(0, 16)} UTC</span> : null}
            </td>
            <td className="text-xs text-slate-500">{row.updatedAt ? `${row.updatedBy} · ${row.updatedAt.replace("T", " ").slice(0, 16)} UTC` : "never changed"}</td>
            {canChange ? (
              <td>
                <KillSwitchToggle row={row} action={action} />
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function KillSwitchToggle({ row, action }: { row: KillSwitchRow; action: SetKillSwitch }) {
  const [confirming, setConfirming] = useState(false);
  const turnOn = !row.on;
  const verb = turnOn ? "Turn on" : "Turn off";
  const { result, pending, onSubmit, fieldError } = useGuardedForm(
    // A datetime-local value has no zone: send it as the browser's local time, in ISO.
    (input: unknown) => {
      const values = input as Record<string, string>;
      const until = values.reenableAt ? new Date(values.reenableAt).toISOString() : "";
      return action({ ...values, reenableAt: until });
    },
    {
      extra: { key: row.key, on: turnOn ? "on" : "off" },
      onSuccess: (_, form) => {
        form.reset();
        setConfirming(false);
      },
    },
  );
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-1 py-1">
      <label className="sr-only" htmlFor={`reason-${row.key}`}>
        Reason for {verb.toLowerCase()} {row.key}
      </label>
      <input
        id={`reason-${row.key}`}
        name="reason"
        required
        minLength={3}
        placeholder="Reason (required)"
        aria-invalid={fieldError("reason") ? true : undefined}
        className="rounded-md border border-slate-300 px-2 py-1 text-sm"
      />
      {!turnOn ? (
        <>
          <label className="text-xs text-slate-600" htmlFor={`until-${row.key}`}>
            Turn {row.key} back on at (optional)
          </label>
          <input id={`until-${row.key}`} name="reenableAt" type="datetime-local" className="rounded-md border border-slate-300 px-2 py-1 text-sm" />
        </>
      ) : null}
      {confirming ? (
        <div className="flex gap-2">
          <Button type="submit" variant={turnOn ? "primary" : "danger"} disabled={pending}>
            Confirm: {verb.toLowerCase()} {row.key}
          </Button>
          <Button type="button" variant="secondary" onClick={() => setConfirming(false)}>
            Cancel
          </Button>
        </div>
      ) : (
        <Button type="button" variant={turnOn ? "primary" : "danger"} onClick={() => setConfirming(true)}>
          {verb} {row.key}
        </Button>
      )}
      <FormMessage result={result} success={result?.ok ? `${row.key} is now ${(result.data as { after: { on: boolean } }).after.on ? "on" : "off"}.` : undefined} />
    </form>
  );
}
