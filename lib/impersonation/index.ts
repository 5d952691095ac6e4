/**
 * Read-only impersonation. While a support session views a user, the
 * request context carries it (lib/auth/session.ts getRequestContext), the
 * guarded path refuses every write with `read_only`, and the data-access
 * guard (guard.ts → db/read-only.ts) refuses writes that bypass it.
 * Actions live in ./actions (start, end, page view), page reads in ./queries.
 */
export type { Impersonation, ActiveImpersonation } from "./session";
export { resolveImpersonation } from "./session";
export { recordSupportPageView } from "./page-views";
export { viewAsVerdict, type ViewAsVerdict } from "./eligibility";
export { IMPERSONATION_MAX_MINUTES, IMPERSONATION_COOKIE, REASON_MAX } from "./config";
export { readImpersonationCookie } from "./cookie-store";
