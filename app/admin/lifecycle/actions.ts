"use server";

import * as accounts from "@/lib/accounts/actions";
import * as projects from "@/lib/projects/actions";
import { serverAction } from "@/lib/web";

export const adminRestoreProject = serverAction(projects.adminRestoreProject);
export const purgeAccountNow = serverAction(accounts.purgeAccountNow);
export const placeLegalHold = serverAction(accounts.placeLegalHold);
export const liftLegalHold = serverAction(accounts.liftLegalHold);
export const adminCancelDeletion = serverAction(accounts.adminCancelDeletion);
export const requestConfirmation = serverAction(accounts.requestConfirmation);
