"use server";

import { unsubscribeFromNotices } from "@/lib/providers/actions";
import { serverAction } from "@/lib/web";

export const unsubscribe = serverAction(unsubscribeFromNotices);
