"use server";

import { changeReportStatus as changeReportStatusAction } from "@/lib/reports/actions";
import { serverAction } from "@/lib/web";

export const changeReportStatus = serverAction(changeReportStatusAction);
