"use server";

import * as accounts from "@/lib/accounts/actions";
import { serverAction } from "@/lib/web";

export const deactivateAccount = serverAction(accounts.deactivateAccount);
export const requestAccountDeletion = serverAction(accounts.requestAccountDeletion);
export const requestConfirmation = serverAction(accounts.requestConfirmation);
