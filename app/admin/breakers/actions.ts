"use server";

import { forceBreaker as forceBreakerAction } from "@/lib/breakers/actions";
import { setProviderFaults as setProviderFaultsAction } from "@/lib/providers/actions";
import { serverAction } from "@/lib/web";

export const forceBreaker = serverAction(forceBreakerAction);
export const setProviderFaults = serverAction(setProviderFaultsAction);
