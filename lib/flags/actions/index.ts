/**
 * The flags capability's mutations, each a guarded action: kill switches
 * (instant off, audited, reviewed afterwards), release/experiment/ops flags
 * with four-eyes approval for widening production changes, segments, and the
 * automatic kills a job runs when a bound breaker stays open, phased
 * rollouts (a plan, a four-eyes advance, the automatic revert), and the
 * scheduled turn-back-on of a switch turned off with a re-enable time.
 */
export { setKillSwitchAction } from "./kill-switch";
export { decideChangeAction, saveFlagAction, saveFlagInput } from "./flag";
export { saveSegmentAction } from "./segment";
export { AUTO_KILLS, runAutoKills, runHealthyReenables, unhealthySince, type AutoKill, type AutoKillSignals } from "./auto-kill";
export { rollbackFlagAction } from "./rollback";
export { runScheduledReenables } from "./reenable";
export { advanceRolloutAction, revertRolloutAction, rolloutGates, runRolloutReverts, saveRolloutPlanAction, AUTO_REVERT_PRINCIPAL } from "./rollout";
