"use server";

import { runJobNow as runJobNowAction } from "@/lib/jobs/actions";
import { serverAction } from "@/lib/web";

export const runJobNow = serverAction(runJobNowAction);
