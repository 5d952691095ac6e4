"use server";

import * as billing from "@/lib/billing/actions";
import * as payments from "@/lib/providers/actions";
import { serverAction } from "@/lib/web";

export const changePlan = serverAction(billing.changePlan);
export const cancelSubscription = serverAction(billing.cancelSubscription);
export const startCardSetup = serverAction(payments.startCardSetup);
