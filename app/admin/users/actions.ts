"use server";

import { changeUserRole as changeUserRoleAction } from "@/lib/auth/actions";
import { serverAction } from "@/lib/safety/next";

export const changeUserRole = serverAction(changeUserRoleAction);
