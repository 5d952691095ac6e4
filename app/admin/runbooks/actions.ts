"use server";

import { forceBreaker as forceBreakerAction } from "@/lib/breakers/actions";
import { setKillSwitchAction } from "@/lib/flags/actions";
import { runJobNow as runJobNowAction } from "@/lib/jobs/actions";
import { serverAction } from "@/lib/web";

// The runbook pages act through the owning capabilities' guarded actions: same guards, same audit.
export const setKillSwitch = serverAction(setKillSwitchAction);
export const forceBreaker = serverAction(forceBreakerAction);
export const runJobNow = serverAction(runJobNowAction);
