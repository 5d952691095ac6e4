// Actions and queries live in ./actions.ts and ./queries.ts: the guarded path imports this file, so it must not import the guarded path back.
export { currentMaintenance, forgetMaintenance, lastKnownMaintenance, readMaintenance, writeMaintenance, type Maintenance } from "./state";
