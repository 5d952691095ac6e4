// Actions live in ./actions (import "@/lib/flags/actions"): the guarded path imports this file, so it must not import the guarded path back.
export { evaluateFlag, isOn, overrideName, type EvaluateOptions } from "./evaluate";
export { rolloutBucket } from "./hash";
export {
  DECLARED_KILL_SWITCHES,
  KILL_SWITCHES,
  KILL_SWITCH_KEYS,
  PRODUCT_KILL_SWITCHES,
  isKillSwitch,
  jobKillSwitch,
  type KillSwitch,
  type KillSwitchDeclaration,
} from "./kill-switches";
export { ENVIRONMENTS, FLAG_KINDS, type Environment, type Evaluation, type EvaluationReason, type FlagContext, type FlagDefinition, type FlagKind, type Segment } from "./model";
export {
  checkKillSwitch,
  evaluateAllFlags,
  evaluateFlagsForVisitor,
  flagContextFor,
  getFlag,
  getFlagSync,
  getKillSwitchStates,
  isKillSwitchOn,
  rolloutCohorts,
  type KillSwitchState,
} from "./runtime";
export { findFlagState, lastDeploy, liveInstanceVersions, recordDeployStart, releaseFlagsChangedSince, type ReleaseChange } from "./releases";
export { currentEnvironment, invalidateFlagSnapshot, noteFlagConfigVersion, refreshFlagSnapshot, type FlagSnapshot } from "./store";
export { breakwaterAdapter } from "./sdk";
export { cohortRoute, DEFAULT_THRESHOLDS, errorRate, phaseState, revertReason, rolloutPlanSchema, type Counts, type Gate, type RolloutPhase, type RolloutPlan, type RolloutThresholds } from "./rollouts";
