import { CODE_NOTES } from "./code-notes.generated";

/** One runbook note in the code: the place that points to a runbook, and the incident it is about. */
export type CodeNoteEntry = {
  runbook: string;
  /** Path from the repository root. */
  file: string;
  kind: "provider call" | "job" | "kill-switch check" | "breaker" | "note";
  /** The breaker, job or kill switch the place concerns ("" for a free-standing note). */
  subject: string;
  incident: string;
};

/** The code places whose runbook notes name this runbook. */
export function codePlacesFor(slug: string): CodeNoteEntry[] {
  return CODE_NOTES.filter((n): n is CodeNoteEntry => n.runbook === slug);
}
