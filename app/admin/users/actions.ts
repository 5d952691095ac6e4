"use server";

import { changeUserRole as changeUserRoleAction } from "@/lib/auth/actions";
import { serverAction } from "@/lib/web";

export const changeUserRole = serverAction(changeUserRoleAction);
