/**
 * Kill switches on the critical paths, with the sentence a user sees while
 * one is off. The flags issue moves their state into the database; until
 * then an emergency env override (`FLAG_PAYMENTS=off`) is the switch.
 */
export const KILL_SWITCHES = {
  payments: { message: "Billing is paused right now; you have not been charged." },
  notifications: { message: "Notifications are paused right now." },
  signups: { message: "Sign-ups are paused right now. Please try again later." },
  exports: { message: "Data exports are paused right now. Please try again later." },
  background_jobs: { message: "Background jobs are paused." },
  admin_destructive: { message: "Destructive admin actions are paused right now." },
  report_problem: { message: "Problem reports are paused right now." },
} as const satisfies Record<string, { message: string }>;

export type KillSwitch = keyof typeof KILL_SWITCHES;

/** True when the path may run. */
export function isKillSwitchOn(key: KillSwitch, source: NodeJS.ProcessEnv = process.env): boolean {
  const override = source[`FLAG_${key.toUpperCase()}`]?.toLowerCase();
  return override !== "off";
}
