"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { REASON_MIN_LENGTH } from "@/lib/flags/constants";
import type { ActionResult } from "@/lib/safety/result";

type Action = (input: unknown) => Promise<ActionResult<unknown>>;
type Phase = { name: string; segment?: string; rollout: number; soakMinutes: number };
export type RolloutView = {
  phases: Phase[];
  guards: string[];
  thresholds: Record<string, number>;
  phase: number;
  phaseStartedAt: string | null;
  revertedAt: string | null;
  revertReason: string | null;
  gates: { gate: string; ok: boolean; detail: string }[];
};

const EXAMPLE_PLAN = {
  phases: [
    { name: "Internal staff", segment: "internal_staff", rollout: 0, soakMinutes: 60 },
    { name: "25 %", rollout: 25, soakMinutes: 60 },
    { name: "50 %", rollout: 50, soakMinutes: 60 },
    { name: "Everyone", rollout: 100, soakMinutes: 0 },
  ],
  guards: ["billing.change_plan"],
};

const time = (iso: string) => `${iso.replace("T", " ").slice(0, 16)} UTC`;
const field = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/**
 * A release flag's phased rollout: where it stands, what advancing would
 * meet now, the four-eyes "advance" and the plan itself. The server decides
 * everything again; this only shows it.
 */
export function RolloutPanel({ flagKey, rollout, canChange, savePlan, advance }: { flagKey: string; rollout: RolloutView | null; canChange: boolean; savePlan: Action; advance: Action }) {
  const next = rollout && rollout.phase + 1 < rollout.phases.length ? rollout.phases[rollout.phase + 1] : null;
  return (
    <div className="flex flex-col gap-4 text-sm">
      {rollout ? (
        <>
          <ol aria-label="Phases" className="flex flex-col gap-1">
            {rollout.phases.map((p, i) => (
              <li key={p.name} aria-current={i === rollout.phase ? "step" : undefined} className={i === rollout.phase ? "font-semibold" : i < rollout.phase ? "" : "text-slate-600"}>
                {i + 1}. {p.name}: {p.segment ? `segment ${p.segment}${p.rollout > 0 ? " + " : ""}` : ""}
                {p.rollout > 0 || !p.segment ? `${p.rollout} %` : ""}, soak {p.soakMinutes} min
                {i === rollout.phase && rollout.phaseStartedAt ? ` — serving since ${time(rollout.phaseStartedAt)}` : ""}
              </li>
            ))}
          </ol>
          {rollout.phase < 0 ? <p>Not started: the flag serves nobody through this plan yet.</p> : null}
          {rollout.revertedAt ? (
            <p role="alert" className="rounded-md bg-amber-50 p-2 text-amber-900">
              Reverted automatically at {time(rollout.revertedAt)}: {rollout.revertReason}
            </p>
          ) : null}
          <p className="text-slate-600">
            Judged by: {rollout.guards.length > 0 ? rollout.guards.join(", ") : "no guarded actions (the cohort gate and the automatic revert see nothing)"}.
          </p>
          {next ? (
            <>
              <h3 className="font-semibold">Gates for “{next.name}”</h3>
              <ul aria-label="Gates" className="flex flex-col gap-1">
                {rollout.gates.map((g) => (
                  <li key={g.gate}>
                    <span className={g.ok ? "text-green-800" : "font-semibold text-red-700"}>{g.ok ? "Pass" : "Hold"}</span> {g.gate.replace("_", " ")}: {g.detail}
                  </li>
                ))}
              </ul>
              {canChange ? <AdvanceForm flagKey={flagKey} next={next.name} action={advance} /> : null}
            </>
          ) : (
            <p>At the last phase.</p>
          )}
        </>
      ) : (
        <p>No rollout plan: changes to this flag are made in the editor above, one at a time.</p>
      )}
      {canChange ? <PlanForm flagKey={flagKey} rollout={rollout} action={savePlan} /> : null}
    </div>
  );
}

function AdvanceForm({ flagKey, next, action }: { flagKey: string; next: string; action: Action }) {
  const router = useRouter();
  const id = useId();
  const { result, pending, onSubmit } = useGuardedForm(action, { extra: { key: flagKey }, onSuccess: () => router.refresh() });
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
      <label htmlFor={`${id}-reason`} className="sr-only">
        Reason for advancing
      </label>
      <input id={`${id}-reason`} name="reason" required minLength={REASON_MIN_LENGTH} placeholder="Reason (required)" className={field} />
      <Button type="submit" disabled={pending}>
        Ask to advance to {next}
      </Button>
      <FormMessage result={result} success="Asked: a second admin applies it from the flags page, once the gates still pass." />
    </form>
  );
}

function PlanForm({ flagKey, rollout, action }: { flagKey: string; rollout: RolloutView | null; action: Action }) {
  const router = useRouter();
  const id = useId();
  const { result, pending, onSubmit, fieldError } = useGuardedForm(action, { extra: { key: flagKey }, onSuccess: () => router.refresh() });
  const current = rollout ? { phases: rollout.phases, guards: rollout.guards, thresholds: rollout.thresholds } : EXAMPLE_PLAN;
  // Open at first when there is no plan, and left as it is after a save (the page refreshes underneath).
  const [openAtFirst] = useState(!rollout);
  return (
    <details open={openAtFirst}>
      <summary className="cursor-pointer font-semibold">{rollout ? "Edit the plan" : "Add a rollout plan"}</summary>
      <form onSubmit={onSubmit} className="mt-2 flex flex-col gap-2">
        <label htmlFor={`${id}-plan`}>
          Plan (JSON: phases in order, each a segment and/or a percentage with a soak time; the actions that judge it; optional thresholds)
        </label>
        <textarea id={`${id}-plan`} name="plan" rows={10} defaultValue={JSON.stringify(current, null, 2)} aria-invalid={Boolean(fieldError("plan"))} className={`${field} font-mono`} />
        <label htmlFor={`${id}-plan-reason`}>Reason</label>
        <input id={`${id}-plan-reason`} name="reason" required minLength={REASON_MIN_LENGTH} className={field} />
        <div>
          <Button type="submit" disabled={pending}>
            Save plan
          </Button>
        </div>
        <FormMessage result={result} success="Plan saved." />
      </form>
    </details>
  );
}
