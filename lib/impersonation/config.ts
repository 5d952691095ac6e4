import { z } from "zod";

/**
 * How long a read-only support session may last. IMPERSONATION_MAX_MINUTES
 * overrides the 30-minute default (1–240).
 */
export const IMPERSONATION_MAX_MINUTES = z.coerce.number().int().min(1).max(240).catch(30).parse(process.env.IMPERSONATION_MAX_MINUTES ?? 30);

export const IMPERSONATION_COOKIE = "bw_impersonation";

export const REASON_MAX = 500;
