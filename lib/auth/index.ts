/**
 * Who may do what: the role → permission table, password hashing, the
 * session user's shape and credential limits. Safe to import anywhere on the
 * server. The Auth.js session itself (cookies, sign-in handlers) is
 * Next.js-bound and lives behind lib/auth/next, for routes and procedures.
 */
export { hasPermission, PERMISSIONS, type Permission } from "./permissions";
export { hashPassword, verifyPassword } from "./password";
export { requestMetaFrom } from "./request-meta";
export { assertSecondAdmin, APPROVER_STANDING_HOURS } from "./approvals";
export type { SessionUser, Role } from "./types";
export { appLink, consumeEmailToken, findUserByEmail, issueEmailToken, TOKEN_LIFETIME_MS, type EmailTokenPurpose } from "./email-tokens";
