import "server-only";
import { env } from "@/lib/env";

/** How long a read-only support session may last: IMPERSONATION_MAX_MINUTES, 30 by default (1–240, validated at start). */
export const IMPERSONATION_MAX_MINUTES = env.IMPERSONATION_MAX_MINUTES;

export const IMPERSONATION_COOKIE = "bw_impersonation";

export const REASON_MAX = 500;
