"use server";

import { resetPassword as resetPasswordAction } from "@/lib/auth/actions";
import { serverAction } from "@/lib/web";

export const resetPassword = serverAction(resetPasswordAction);
