"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { formatDate } from "@/components/ui/date";
import { useGuardedForm } from "@/components/use-guarded-form";
import { forceBreaker, runJobNow, setKillSwitch } from "./actions";

function Reason({ id, label }: { id: string; label: string }) {
  return (
    <label className="flex min-w-56 flex-1 flex-col gap-1 text-xs font-medium text-slate-700" htmlFor={id}>
      {label}
      <input id={id} name="reason" className="rounded-md border border-slate-300 px-2 py-1 text-sm font-normal" />
    </label>
  );
}

export function KillSwitchControl({ name, on, canAct }: { name: string; on: boolean; canAct: boolean }) {
  const { result, pending, onSubmit } = useGuardedForm(setKillSwitch, { extra: { key: name } });
  return (
    <div className="flex flex-col gap-1">
      <p className="text-sm">
        Kill switch <code>{name}</code>: <strong data-state={on ? "on" : "off"}>{on ? "on (running)" : "off (paused)"}</strong>
      </p>
      {canAct ? (
        <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-2">
          {/* The target state travels in the form, so a re-render with the new state can never send a stale one. */}
          <input type="hidden" name="on" value={on ? "off" : "on"} />
          <Reason id={`ks-${name}-reason`} label={`Reason for turning ${name} ${on ? "off" : "on"}`} />
          <Button type="submit" variant={on ? "danger" : "primary"} disabled={pending}>
            {on ? `Turn ${name} off` : `Turn ${name} on`}
          </Button>
        </form>
      ) : null}
      {/* Worded from the result, not the props: the page re-renders with the new state before this shows. */}
      <FormMessage result={result} success={result?.ok ? switchOutcome(name, result.data) : undefined} />
    </div>
  );
}

export function BreakerControl({ name, state, forced, canAct }: { name: string; state: string; forced: string | null; canAct: boolean }) {
  const mode = forced === "open" ? "reset" : "open";
  const { result, pending, onSubmit } = useGuardedForm(forceBreaker, { extra: { name } });
  return (
    <div className="flex flex-col gap-1">
      <p className="text-sm">
        Breaker <code>{name}</code>: <strong data-state={state}>{state.replace("_", "-")}</strong>
        {forced ? ` (forced ${forced})` : ""}
      </p>
      {canAct ? (
        <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-2">
          <input type="hidden" name="mode" value={mode} />
          <Reason id={`br-${name}-reason`} label={`Reason for ${mode === "open" ? "forcing" : "releasing"} the ${name} breaker`} />
          <Button type="submit" variant={mode === "open" ? "danger" : "secondary"} disabled={pending}>
            {mode === "open" ? `Force ${name} breaker open` : `Release ${name} breaker`}
          </Button>
        </form>
      ) : null}
      <FormMessage result={result} success={result?.ok ? ((result.data as { forced?: string | null }).forced === "open" ? "Breaker forced open." : "Breaker released.") : undefined} />
    </div>
  );
}

export function JobControl({ name, status, lastSuccessAt, canAct }: { name: string; status: string; lastSuccessAt: string | null; canAct: boolean }) {
  const { result, pending, onSubmit } = useGuardedForm(runJobNow, { extra: { job: name } });
  return (
    <div className="flex flex-col gap-1">
      <p className="text-sm">
        Job <code>{name}</code>: <strong>{status.replace("_", " ")}</strong>
        {lastSuccessAt ? ` · last success ${formatDate(lastSuccessAt)}` : ""}
      </p>
      {canAct ? (
        <form onSubmit={onSubmit}>
          <Button type="submit" variant="secondary" disabled={pending}>
            Run {name} now
          </Button>
        </form>
      ) : null}
      <FormMessage result={result} success={`${name} ran.`} />
    </div>
  );
}

/** Applied, or (turning back on in production) waiting for a second admin. */
function switchOutcome(name: string, data: unknown): string {
  const { after, pendingApproval } = data as { after?: { on?: boolean }; pendingApproval?: string | null };
  if (pendingApproval) return `Turning ${name} back on waits for a second admin's approval.`;
  return `${name} turned ${after?.on ? "on" : "off"}.`;
}
