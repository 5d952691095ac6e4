"use server";

import {
  endImpersonation as endImpersonationAction,
  recordImpersonationPageView as recordImpersonationPageViewAction,
  startImpersonation as startImpersonationAction,
} from "@/lib/impersonation/actions";
import { serverAction } from "@/lib/safety/next";

export const startImpersonation = serverAction(startImpersonationAction);
// Used by the banner on every page (passed down from the root layout).
export const endImpersonation = serverAction(endImpersonationAction);
export const recordImpersonationPageView = serverAction(recordImpersonationPageViewAction);
