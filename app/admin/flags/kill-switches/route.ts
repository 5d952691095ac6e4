import { setKillSwitchAction } from "@/lib/flags/actions";
import { guardedRoute } from "@/lib/web";

// POST { key, on, reason, reenableAt? }: the kill switch panel's action as an API, for runbook tooling.
export const POST = guardedRoute(setKillSwitchAction);
