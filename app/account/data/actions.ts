"use server";

import * as accounts from "@/lib/accounts/actions";
import { serverAction } from "@/lib/safety/next";

export const requestExport = serverAction(accounts.requestExport);
