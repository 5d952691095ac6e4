import "server-only";
import { cohortRoute, rolloutCohorts } from "@/lib/flags";
import { defineLink, SERVER_FAULTS } from "@/lib/safety";
import { recordRequestOutcome } from "./outcomes";

/** The route group every person's action is counted under (web availability), besides its own `action:<name>`. */
export const ACTIONS_ROUTE = "actions";
export const actionRoute = (name: string) => `action:${name}`;

/**
 * Counts every action a person calls, per minute, as the request outcomes
 * already do for pages and the API: a server fault (`internal`,
 * `dependency_down`) is an error. Web availability and the error-rate
 * auto-kills read these counts. An action a release flag's rollout plan
 * guards is counted once more for that flag, inside or outside its cohort:
 * what the rollout's gates and automatic revert read. Jobs and the ops CLI
 * are judged by their own runs, not here. Outermost, so it sees the final
 * result of every link.
 */
export const countOutcomes = defineLink({
  name: "outcomes",
  around: async (call, next) => {
    if (call.kind !== "action" || call.request.system) return next();
    const started = performance.now();
    const result = await next();
    const fine = result.ok || !SERVER_FAULTS.has(result.code);
    const took = performance.now() - started;
    recordRequestOutcome(ACTIONS_ROUTE, fine, took);
    recordRequestOutcome(actionRoute(call.def.name), fine, took);
    for (const { flag, inside } of rolloutCohorts(call.def.name, call.request.user)) recordRequestOutcome(cohortRoute(flag, inside), fine, took);
    return result;
  },
});
