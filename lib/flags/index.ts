export { KILL_SWITCHES, isKillSwitchOn, type KillSwitch } from "./kill-switches";
