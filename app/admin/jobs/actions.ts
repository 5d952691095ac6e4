"use server";

import { runJobNow as runJobNowAction } from "@/lib/jobs/actions";
import { serverAction } from "@/lib/safety/next";

export const runJobNow = serverAction(runJobNowAction);
