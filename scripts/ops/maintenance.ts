import { currentMaintenance, readMaintenance } from "@/lib/maintenance";
import { setMaintenanceAction } from "@/lib/maintenance/actions";
import { getDb } from "@/lib/database";
import { systemContext } from "@/lib/safety";
import type { OpsCommand } from "./command";
import { option } from "./options";

const USAGE = `Usage:
  npm run ops -- maintenance status
  npm run ops -- maintenance on|off --reason "why"`;

/** Turns read-only maintenance on or off as cli:ops; returns false (and says why) when refused. */
export async function switchMaintenance(on: boolean, reason: string): Promise<boolean> {
  const result = await setMaintenanceAction.run({ on, reason }, systemContext("cli:ops"));
  if (!result.ok) {
    console.error(`Refused (${result.code}): ${result.message}`);
    return false;
  }
  return true;
}

// Straight against the database, through the same guarded action as the admin overview: works while the web app is down or in maintenance.
export const maintenanceCommand: OpsCommand = {
  summary: "show, or turn on/off, read-only maintenance (writes refused, jobs skip; audited as cli:ops)",
  verbs: ["status", "on", "off"],
  async run(args) {
    const [verb] = args;
    if (verb === "status") {
      const state = await readMaintenance(await getDb());
      console.log(state.active ? `maintenance ON since ${state.since} by ${state.by}: ${state.reason}` : "maintenance off");
      return 0;
    }
    const reason = option(args, "reason");
    if ((verb !== "on" && verb !== "off") || !reason) {
      console.error(USAGE);
      return 2;
    }
    if (!(await switchMaintenance(verb === "on", reason))) return 1;
    const now = await currentMaintenance();
    console.log(`maintenance ${now.active ? "on" : "off"}`);
    return 0;
  },
};
