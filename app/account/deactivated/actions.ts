"use server";

import * as accounts from "@/lib/accounts/actions";
import { serverAction } from "@/lib/web";

export const reactivateAccount = serverAction(accounts.reactivateAccount);
export const cancelDeletion = serverAction(accounts.cancelDeletion);
