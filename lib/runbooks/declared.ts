import { BREAKERS } from "@/lib/breakers";
import { isKillSwitch, KILL_SWITCHES } from "@/lib/flags";
import { isJobName, JOB_DECLARATIONS } from "@/lib/jobs";
import { SLOS } from "@/lib/status";
import type { Runbook } from "./loader";

export type RunbookSubject = "flags" | "breakers" | "jobs" | "slos";

/**
 * The runbook slug a kill switch, breaker, job or SLO declares where it is
 * defined (lib/flags/kill-switches.ts, lib/breakers/config.ts,
 * lib/jobs/declarations.ts, lib/status/slos.ts); null for a name nothing
 * declares. lib/runbooks/declared.test.ts checks every slug has a file.
 */
export function declaredRunbook(kind: RunbookSubject, name: string): string | null {
  if (kind === "flags") return isKillSwitch(name) ? KILL_SWITCHES[name].runbook : null;
  if (kind === "breakers") return Object.hasOwn(BREAKERS, name) ? BREAKERS[name as keyof typeof BREAKERS].runbook : null;
  if (kind === "jobs") return isJobName(name) ? JOB_DECLARATIONS[name].runbook : null;
  return SLOS.find((s) => s.id === name)?.runbook ?? null;
}

/** The runbook a kill switch, breaker, job or SLO declares, out of a loaded list, for "see runbook" links. */
export function runbookFor(list: readonly Runbook[], kind: RunbookSubject, name: string): Runbook | null {
  const slug = declaredRunbook(kind, name);
  return slug === null ? null : (list.find((r) => r.slug === slug) ?? null);
}
