"use server";

import { sendTestAlert as sendTestAlertAction } from "@/lib/alerts/actions";
import { serverAction } from "@/lib/web";

export const sendTestAlert = serverAction(sendTestAlertAction);
