"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { REASON_MIN_LENGTH } from "@/lib/flags/constants";
import type { ActionResult } from "@/lib/safety/result";

export type ChangeRequestRow = { id: string; flagKey: string; kind: "approval" | "review"; environment: string; summary: string; reason: string; requestedBy: string; createdAt: string };

type Decide = (input: unknown) => Promise<ActionResult<unknown>>;

/** Changes waiting for a second admin: production rollouts to approve, kill switches turned off to review. */
export function ChangeRequests({ rows, canDecide, action }: { rows: ChangeRequestRow[]; canDecide: boolean; action: Decide }) {
  if (rows.length === 0) return <p className="text-slate-600">Nothing is waiting for a second admin.</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {rows.map((r) => (
        <li key={r.id} className="py-3">
          <p>
            <span className="font-semibold">{r.kind === "approval" ? "Approve" : "Review"}</span> <span className="font-mono">{r.flagKey}</span> ({r.environment}) — {r.summary}
          </p>
          <p className="text-xs text-slate-500">
            {r.requestedBy} · {r.createdAt.replace("T", " ").slice(0, 16)} UTC · reason: {r.reason}
          </p>
          {canDecide ? <DecideForm row={r} action={action} /> : null}
        </li>
      ))}
    </ul>
  );
}

function DecideForm({ row, action }: { row: ChangeRequestRow; action: Decide }) {
  const { result, pending, onSubmit } = useGuardedForm(action, { extra: { requestId: row.id } });
  const approve = row.kind === "approval" ? "Approve" : "Mark reviewed";
  return (
    <form onSubmit={onSubmit} className="mt-2 flex flex-wrap items-center gap-2">
      <label className="sr-only" htmlFor={`decide-${row.id}`}>
        Reason for your decision on {row.flagKey}
      </label>
      <input id={`decide-${row.id}`} name="reason" required minLength={REASON_MIN_LENGTH} placeholder="Reason (required)" className="rounded-md border border-slate-300 px-2 py-1" />
      <Button type="submit" name="decision" value="approve" disabled={pending}>
        {approve} {row.flagKey}
      </Button>
      <Button type="submit" variant="secondary" name="decision" value="reject" disabled={pending}>
        Reject {row.flagKey}
      </Button>
      <FormMessage result={result} success="Decision recorded." />
    </form>
  );
}
