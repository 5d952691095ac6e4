"use server";

import { advanceRolloutAction, decideChangeAction, saveFlagAction, saveRolloutPlanAction, saveSegmentAction, setKillSwitchAction } from "@/lib/flags/actions";
import { serverAction } from "@/lib/web";

export const setKillSwitch = serverAction(setKillSwitchAction);
export const saveFlag = serverAction(saveFlagAction);
export const saveSegment = serverAction(saveSegmentAction);
export const decideChange = serverAction(decideChangeAction);
export const saveRolloutPlan = serverAction(saveRolloutPlanAction);
export const advanceRollout = serverAction(advanceRolloutAction);
