/**
 * How long a sign-in lasts. A session token expires after a stretch of
 * inactivity; each request made with it slides the expiry forward (the proxy
 * re-issues the cookie at most every few minutes), but never past an absolute
 * limit from the moment of sign-in. Revocation (sign-out, sign out
 * everywhere, an admin's decision) is checked on every request regardless.
 */
export const SESSION_IDLE_SECONDS = 12 * 60 * 60;
export const SESSION_ABSOLUTE_SECONDS = 7 * 24 * 60 * 60;
/** A token younger than this is not re-issued: one fresh cookie per few minutes of activity is enough. */
export const SESSION_RENEW_AFTER_SECONDS = 10 * 60;

/** The claims a session token carries beyond Auth.js's own. */
export type SessionClaims = { userId: string; sessionVersion: number; sessionId: string | null; authTime: number | null };

/** True while a token signed in at `authTime` (seconds) is inside its absolute lifetime. */
export function withinAbsoluteLifetime(authTime: number | null, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  return authTime !== null && nowSeconds < authTime + SESSION_ABSOLUTE_SECONDS;
}
