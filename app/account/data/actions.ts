"use server";

import * as accounts from "@/lib/accounts/actions";
import { serverAction } from "@/lib/web";

export const requestExport = serverAction(accounts.requestExport);
