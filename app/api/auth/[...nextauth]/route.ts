// Auth.js owns these endpoints (CSRF, callbacks, sign-out). Every sign-in outcome is recorded by
// recordSignInAttempt (lib/auth/sign-in.ts); sign-out revokes the session and is recorded by the
// signOut event; GET /api/auth/session answers null for a session this app has revoked.
import { authGet, handlers } from "@/lib/auth/next";

export const GET = authGet;
export const { POST } = handlers;
