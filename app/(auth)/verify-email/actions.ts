"use server";

import { verifyEmail as verifyEmailAction } from "@/lib/auth/actions";
import { serverAction } from "@/lib/web";

export const verifyEmail = serverAction(verifyEmailAction);
