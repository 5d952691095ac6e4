"use server";

import { endImpersonation as endImpersonationAction, startImpersonation as startImpersonationAction } from "@/lib/impersonation/actions";
import { decideAccessChange as decideAccessChangeAction, requestAccessChange as requestAccessChangeAction } from "@/lib/auth/actions";
import { serverAction } from "@/lib/web";

export const startImpersonation = serverAction(startImpersonationAction);
// Used by the banner on every page (passed down from the root layout).
export const endImpersonation = serverAction(endImpersonationAction);
export const requestAccessChange = serverAction(requestAccessChangeAction);
export const decideAccessChange = serverAction(decideAccessChangeAction);
