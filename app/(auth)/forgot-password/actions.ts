"use server";

import { requestPasswordReset as requestPasswordResetAction } from "@/lib/auth/actions";
import { serverAction } from "@/lib/web";

export const requestPasswordReset = serverAction(requestPasswordResetAction);
