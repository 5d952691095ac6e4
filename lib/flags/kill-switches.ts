import { ENVIRONMENTS, type FlagDefinition } from "./model";

type KillSwitchDeclaration = {
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
};

/**
 * Kill switches on the critical paths, declared in code with their safe
 * behaviour. A kill switch is a boolean flag: on (true) = the path runs.
 * Turning one off takes effect at once and changes nothing half-way: the
 * guarded path refuses before any work starts.
 */
export const KILL_SWITCHES = {
  payments: {
    description: "Plan changes, charges and renewals",
    message: "Billing is paused right now; you have not been charged.",
    whenUnknown: false,
  },
  notifications: { description: "All outbound email", message: "Notifications are paused right now.", whenUnknown: true },
  signups: { description: "New account sign-ups", message: "Sign-ups are paused right now. Please try again later.", whenUnknown: true },
  exports: { description: "Personal data exports", message: "Data exports are paused right now. Please try again later.", whenUnknown: true },
  background_jobs: { description: "Every cron job", message: "Background jobs are paused.", whenUnknown: true },
  admin_destructive: {
    description: "Purges and hard deletes from the admin area",
    message: "Destructive admin actions are paused right now.",
    whenUnknown: false,
  },
  report_problem: { description: "Report-a-problem submissions", message: "Problem reports are paused right now.", whenUnknown: true },
  job_renewals: { description: "Renewals job (charges)", message: "skipped: disabled", whenUnknown: false },
  job_notification_delivery: { description: "Notification delivery job", message: "skipped: disabled", whenUnknown: true },
  job_trash_purge: { description: "Trash purge job", message: "skipped: disabled", whenUnknown: false },
  job_deletion_purge: { description: "Account deletion purge job", message: "skipped: disabled", whenUnknown: false },
  job_audit_retention: { description: "Audit retention job", message: "skipped: disabled", whenUnknown: false },
  job_uptime_check: { description: "Uptime check job", message: "skipped: disabled", whenUnknown: true },
} as const satisfies Record<string, KillSwitchDeclaration>;

export type KillSwitch = keyof typeof KILL_SWITCHES;
export const KILL_SWITCH_KEYS = Object.keys(KILL_SWITCHES) as KillSwitch[];

export function isKillSwitch(key: string): key is KillSwitch {
  return Object.hasOwn(KILL_SWITCHES, key);
}

/** The kill switch for a cron job (`job_<name>`); throws for a job that has none declared. */
export function jobKillSwitch(name: string): KillSwitch {
  const key = `job_${name}`;
  if (!isKillSwitch(key)) throw new Error(`No kill switch declared for job "${name}"; add job_${name} to KILL_SWITCHES`);
  return key;
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
