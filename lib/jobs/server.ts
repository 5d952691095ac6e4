// Server-side entry points (runner, health, auth); lib/jobs/index.ts stays importable by job files without cycles.
export { findJob, jobHealth, loadJobs, maxRuntimeMs, recentRuns, runJob, type JobHealth, type RunTrigger } from "./runner";
export { isCronAuthorized } from "./cron-auth";
export { cronIntervalMs } from "./cron";
