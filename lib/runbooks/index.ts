export { isStale, loadRunbook, loadRunbooks, parseRunbook, parseRunbooks, runbookFor, RunbookError, STALE_AFTER_DAYS, type Runbook } from "./loader";
export { markersIn, renderMarkdown, renderRunbook, type Control, type Segment } from "./render";
