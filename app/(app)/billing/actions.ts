"use server";

import * as billing from "@/lib/billing/actions";
import { serverAction } from "@/lib/safety/next";

export const changePlan = serverAction(billing.changePlan);
export const cancelSubscription = serverAction(billing.cancelSubscription);
