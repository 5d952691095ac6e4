import { defineLink, fail } from "@/lib/safety";
import { KILL_SWITCHES, type KillSwitch } from "./kill-switches";
import { checkKillSwitch } from "./runtime";

export { observeEnvironmentOverrides, type OverrideObserver } from "./store";

/** The kill switch a procedure declares must be on; off refuses before any work starts, with the switch's own sentence. */
export const requireKillSwitch = defineLink<{ flag?: KillSwitch }>({
  name: "kill switch",
  around: async (call, next) => {
    const key = call.def.flag;
    // INCIDENT: a path misbehaves and its kill switch was turned off.
    // FAILURE MODE: every procedure declaring that switch is refused (disabled) with the switch's own sentence before any work; nothing half-happens.
    // SAFE TO RETRY: yes; a refused call changed nothing.
    // OPERATOR ACTION: runbook rollback.
    if (key && !(await checkKillSwitch(key))) return fail("disabled", KILL_SWITCHES[key].message);
    return next();
  },
});
