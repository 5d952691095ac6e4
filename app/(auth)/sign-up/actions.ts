"use server";

import { signUp as signUpAction } from "@/lib/auth/actions";
import { serverAction } from "@/lib/safety/next";

export const signUp = serverAction(signUpAction);
