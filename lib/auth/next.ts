/**
 * The Auth.js session, bound to Next.js requests: route handlers, the
 * request context the procedures run with, and the inactive-account check
 * behind the way back for a deactivated account. Imported by routes, the web
 * entry points (lib/web.ts) and procedure faces; never by capability internals.
 */
export { auth, handlers, signIn, signOut } from "./config";
export { authGet, getAnonymousRequestContext, getInactiveAccount, getRequestContext, getSessionUser } from "./session";
