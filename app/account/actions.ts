"use server";

import { resendVerification as resendVerificationAction, signOutEverywhere as signOutEverywhereAction } from "@/lib/auth/actions";
import { serverAction } from "@/lib/web";

export const signOutEverywhere = serverAction(signOutEverywhereAction);
export const resendVerification = serverAction(resendVerificationAction);
