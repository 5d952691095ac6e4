// Auth.js owns these endpoints (CSRF, callbacks, sign-out). Every sign-in outcome is
// recorded by recordSignInAttempt (lib/auth/sign-in.ts) and sign-out by the signOut event.
import { handlers } from "@/lib/auth";

export const { GET, POST } = handlers;
