"use server";

import { changeReportStatus as changeReportStatusAction } from "@/lib/reports";
import { serverAction } from "@/lib/safety/next";

export const changeReportStatus = serverAction(changeReportStatusAction);
