import { isJobName, JOB_KILL_SWITCHES, jobKillSwitchKey, type JobKillSwitchKey } from "@/lib/jobs";
import { ENVIRONMENTS, type FlagDefinition } from "./model";

export type KillSwitchDeclaration = {
  /** What it stops, for the admin panel. */
  description: string;
  /** The sentence a user sees while it is off. */
  message: string;
  /**
   * Served only when this instance has never reached the flag store. Money
   * and destructive paths fail safe (off: nothing charged, nothing purged);
   * the rest keep running.
   */
  whenUnknown: boolean;
  /** Slug of the runbook (runbooks/<slug>.md) an operator opens when this switch is off or needs flipping. */
  runbook: string;
};

/**
 * The product-wide kill switches on the critical paths, declared in code with
 * their safe behaviour. A kill switch is a boolean flag: on (true) = the path
 * runs. Turning one off takes effect at once and changes nothing half-way:
 * the guarded path refuses before any work starts.
 */
export const PRODUCT_KILL_SWITCHES = {
  payments: {
    description: "Plan changes, charges and renewals",
    message: "Billing is paused right now; you have not been charged.",
    whenUnknown: false,
    runbook: "payment-provider-down",
  },
  notifications: { description: "All outbound email", message: "Notifications are paused right now.", whenUnknown: true, runbook: "email-provider-down" },
  signups: { description: "New account sign-ups", message: "Sign-ups are paused right now. Please try again later.", whenUnknown: true, runbook: "rollback" },
  exports: { description: "Personal data exports", message: "Data exports are paused right now. Please try again later.", whenUnknown: true, runbook: "rollback" },
  background_jobs: {
    description: "Every cron job except the uptime monitor, which keeps watching so the pause itself is noticed",
    message: "Background jobs are paused.",
    whenUnknown: true,
    runbook: "cron-backlog",
  },
  admin_destructive: {
    description: "Destructive admin actions: purges, role changes, access-change approvals, legal-hold releases",
    message: "Destructive admin actions are paused right now.",
    whenUnknown: false,
    runbook: "rollback",
  },
  report_problem: { description: "Report-a-problem submissions", message: "Problem reports are paused right now.", whenUnknown: true, runbook: "rollback" },
} as const satisfies Record<string, KillSwitchDeclaration>;

export type KillSwitch = keyof typeof PRODUCT_KILL_SWITCHES | JobKillSwitchKey;

/**
 * Every kill switch: the product-wide ones above plus one per background job
 * (`job_<name>`). Each job declares its switch with the rest of its
 * declaration in lib/jobs/declarations.ts, a data-only module that the job
 * definitions and this file both import (through `@/lib/jobs`, which never
 * loads job code). Not listed here by hand, and not registered by the jobs
 * at import time: flags cannot import job code (jobs run guarded procedures,
 * which check kill switches here, so that would be an import cycle), and a
 * list filled in as files load would depend on what happened to load.
 */
export const KILL_SWITCHES: Readonly<Record<KillSwitch, KillSwitchDeclaration>> = { ...PRODUCT_KILL_SWITCHES, ...JOB_KILL_SWITCHES };
export const KILL_SWITCH_KEYS = Object.keys(KILL_SWITCHES) as KillSwitch[];

export function isKillSwitch(key: string): key is KillSwitch {
  return Object.hasOwn(KILL_SWITCHES, key);
}

/** The kill switch for a cron job (`job_<name>`); throws for a name no job declares. */
export function jobKillSwitch(name: string): KillSwitch {
  if (!isJobName(name)) throw new Error(`No kill switch declared for job "${name}": no job by that name is declared`);
  return jobKillSwitchKey(name);
}

/** How a kill switch looks before anyone has touched it: on everywhere. Built once per key. */
export const DECLARED_KILL_SWITCHES: ReadonlyMap<string, FlagDefinition> = new Map(
  KILL_SWITCH_KEYS.map((key) => [
    key,
    {
      key,
      kind: "kill_switch",
      valueType: "boolean",
      variants: [],
      defaultValue: true,
      offValue: false,
      environments: Object.fromEntries(ENVIRONMENTS.map((e) => [e, { enabled: true, targets: [], rules: [], rollout: 0 }])),
      prerequisites: [],
      seed: "",
      whenUnknown: KILL_SWITCHES[key].whenUnknown,
    } satisfies FlagDefinition,
  ]),
);
