import type { BreakerName } from "@/lib/breakers";

/**
 * What each background job is, as plain data: when it runs, the breakers it
 * needs, its own kill switch and the runbook to open when it fails. The code
 * that does the work lives with its capability (`defineJob(name, …)` in that
 * capability's jobs.ts) and is listed in lib/jobs/registry.ts.
 *
 * Why the declarations are data in this module rather than written inside
 * each job file: the flags capability has to know every kill switch (the
 * admin panel, `setKillSwitchAction`'s validation, the snapshot's declared
 * defaults), and job code runs guarded procedures, which check kill switches
 * through lib/flags. Flags importing job code would be an import cycle, and
 * jobs registering their switches when imported would make the list depend
 * on which files happened to load. This module imports nothing at run time,
 * so lib/flags and the job definitions can both read it.
 */
export type JobDeclaration = {
  /** Five-field cron expression in UTC, as written in vercel.json. */
  schedule: string;
  /** Breakers this job needs; when any is open the run is recorded as skipped. */
  dependsOn: readonly BreakerName[];
  /**
   * The job's kill switch, `job_<name>`: what it stops (admin panel), and
   * whether the job may run when this instance has never reached the flag
   * store (money and destructive jobs: no).
   */
  killSwitch: { description: string; whenUnknown: boolean };
  /** Slug of the runbook (runbooks/<slug>.md) an operator opens when the job fails or misses its window. */
  runbook: string;
  /**
   * Product kill switches (lib/flags) whose work this job is: while any is
   * off the run is recorded as skipped ("skipped: payments paused") instead
   * of trying every item and failing each one at the guard.
   */
  pausedBy?: readonly string[];
  /**
   * Keeps running while `background_jobs` is off. Only for the monitor that
   * notices the pause (and drafts its incident); its own switch still stops it.
   */
  watchesWhilePaused?: boolean;
};

export const JOB_DECLARATIONS = {
  renewals: {
    schedule: "0 * * * *",
    dependsOn: ["payments"],
    killSwitch: { description: "Renewals job (charges)", whenUnknown: false },
    runbook: "charge-failures-dunning",
    pausedBy: ["payments"],
  },
  payment_reconciliation: {
    schedule: "*/5 * * * *",
    dependsOn: ["payments"],
    killSwitch: { description: "Payment reconciliation job (refunds)", whenUnknown: false },
    runbook: "billing-reconciliation",
    pausedBy: ["payments"],
  },
  notification_delivery: {
    schedule: "*/10 * * * *",
    dependsOn: ["email"],
    killSwitch: { description: "Notification delivery job", whenUnknown: true },
    runbook: "email-provider-down",
  },
  trash_purge: {
    schedule: "15 3 * * *",
    dependsOn: [],
    killSwitch: { description: "Trash purge job", whenUnknown: false },
    runbook: "account-deletion-erasure",
  },
  deletion_purge: {
    schedule: "30 3 * * *",
    dependsOn: ["payments"],
    killSwitch: { description: "Account deletion purge job", whenUnknown: false },
    runbook: "account-deletion-erasure",
  },
  invoice_retention: {
    schedule: "45 3 * * *",
    dependsOn: [],
    killSwitch: { description: "Invoice retention job (deletes invoices past the declared period)", whenUnknown: false },
    runbook: "account-deletion-erasure",
  },
  audit_retention: {
    schedule: "30 3 * * *",
    dependsOn: [],
    killSwitch: { description: "Audit retention job", whenUnknown: false },
    runbook: "cron-backlog",
  },
  audit_anchor: {
    schedule: "* * * * *",
    dependsOn: [],
    killSwitch: { description: "Audit anchor job (chain heads kept outside the database)", whenUnknown: true },
    runbook: "audit-chain-broken",
  },
  uptime_check: {
    schedule: "* * * * *",
    dependsOn: [],
    killSwitch: { description: "Uptime check job", whenUnknown: true },
    runbook: "cron-backlog",
    // It is what notices that background jobs are paused: paused with them, that condition could never fire.
    watchesWhilePaused: true,
  },
  // Each destination has its own breaker, so one being down does not hold back the others.
  alert_delivery: {
    schedule: "* * * * *",
    dependsOn: [],
    killSwitch: { description: "Alert delivery job (Slack, PagerDuty, email)", whenUnknown: true },
    runbook: "alert-delivery",
  },
  uptime_probe: {
    schedule: "* * * * *",
    dependsOn: [],
    killSwitch: { description: "Outside uptime probe", whenUnknown: true },
    runbook: "cron-backlog",
  },
  invoice_reconciliation: {
    schedule: "20 * * * *",
    dependsOn: ["payments"],
    killSwitch: { description: "Invoice reconciliation with the provider (reports differences)", whenUnknown: false },
    runbook: "billing-reconciliation",
    pausedBy: ["payments"],
  },
} as const satisfies Record<string, JobDeclaration>;

export type JobName = keyof typeof JOB_DECLARATIONS;
export const JOB_NAMES = Object.keys(JOB_DECLARATIONS).sort() as JobName[];

/** A job as its health is judged: by name, schedule and tolerance alone, so status reads need no job code. */
export type JobSchedule = { name: JobName; schedule: string; runbook: string; missedTolerance?: number };

/** Every declared job, for reads that cover them all (status, readiness, runbook pages). */
export const DECLARED_JOBS: readonly JobSchedule[] = (Object.keys(JOB_DECLARATIONS) as JobName[])
  .sort()
  .map((name) => ({ name, schedule: JOB_DECLARATIONS[name].schedule, runbook: JOB_DECLARATIONS[name].runbook }));

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(JOB_DECLARATIONS, name);
}

/** The kill switch key of a job. Stored flag state and `FLAG_JOB_*` overrides use this key, so it never changes shape. */
export function jobKillSwitchKey<N extends JobName>(name: N): `job_${N}` {
  return `job_${name}`;
}

export type JobKillSwitchKey = `job_${JobName}`;

/** A job's kill switch in the shape lib/flags declares switches in. */
export type JobKillSwitchDeclaration = { description: string; message: string; whenUnknown: boolean; runbook: string };

/** Every job's kill switch, derived from the declarations above (the flags capability adds these to its product switches). */
export const JOB_KILL_SWITCHES = Object.fromEntries(
  JOB_NAMES.map((name) => {
    const { killSwitch, runbook } = JOB_DECLARATIONS[name];
    return [jobKillSwitchKey(name), { description: killSwitch.description, message: "skipped: disabled", whenUnknown: killSwitch.whenUnknown, runbook }];
  }),
) as Record<JobKillSwitchKey, JobKillSwitchDeclaration>;
