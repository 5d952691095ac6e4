import "server-only";
import { defineLink, fail } from "@/lib/safety";
import { currentMaintenance } from "./state";

/**
 * Read-only maintenance refuses every guarded write, before any work starts.
 * Reads keep working (queries already get a handle that refuses writes), and
 * so do the switch itself (declared `allowDuringMaintenance`) and the ops
 * CLI, the operator's way to run a restore and to turn maintenance off.
 */
export const refuseDuringMaintenance = defineLink<{ allowDuringMaintenance?: true }>({
  name: "maintenance",
  around: async (call, next) => {
    if (call.kind !== "action" || call.def.allowDuringMaintenance || call.request.system === "cli:ops") return next();
    // INCIDENT: the app was put into read-only maintenance (a database restore, a risky migration).
    // FAILURE MODE: every guarded write is refused (maintenance, HTTP 503) before any work; reads, sign-in and the switch itself keep working.
    // SAFE TO RETRY: yes, once maintenance ends; a refused call changed nothing.
    // OPERATOR ACTION: runbook database-backup-restore.
    if ((await currentMaintenance()).active) return fail("maintenance");
    return next();
  },
});
