// Server-side entry points (registry, runner, health, auth). lib/jobs/index.ts stays free of the registry so job files can import it without a cycle.
export { findJob, jobHealth, JOBS } from "./registry";
export { maxRuntimeMs, runJob, type RunOptions, type RunTrigger } from "./runner";
export { recentRuns, type JobHealth } from "./health";
export { isCronAuthorized } from "./cron-auth";
export { cronIntervalMs } from "./cron";
