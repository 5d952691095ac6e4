"use server";

import { signUp as signUpAction } from "@/lib/auth/actions";
import { serverAction } from "@/lib/web";

export const signUp = serverAction(signUpAction);
