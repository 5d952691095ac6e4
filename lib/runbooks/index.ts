export { declaredRunbook, runbookFor, type RunbookSubject } from "./declared";
export { isStale, loadRunbook, loadRunbooks, parseRunbook, parseRunbooks, RunbookError, STALE_AFTER_DAYS, type Runbook } from "./loader";
export { markersIn, renderMarkdown, renderRunbook, type Control, type Segment } from "./render";
