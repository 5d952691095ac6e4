import { NextResponse, type NextRequest } from "next/server";
import { renewSessionCookie } from "@/lib/auth/renewal";
import { clientEnv } from "@/lib/env/client";
import { contentSecurityPolicy, newNonce } from "@/lib/security/headers";

/**
 * Gives every request an id before it reaches a route, so logs, audit
 * events, Sentry events and problem reports of one request share it, and
 * echoes it to the client; stamps its arrival time; and sets this response's
 * Content-Security-Policy with a fresh nonce (Next.js's documented pattern:
 * the policy goes on the request too, where Next reads the nonce and stamps
 * it on every script it renders). The other security headers come from
 * next.config.ts, from the same module. It also slides a session in use
 * forward (lib/auth/renewal.ts). Nothing is authorised here: every
 * action and page checks for itself, through its procedure's guards.
 */
const SAFE_ID = /^[A-Za-z0-9._-]{8,128}$/;

const policyOptions = {
  production: clientEnv.NEXT_PUBLIC_APP_ENV === "production",
  // Next inlines NODE_ENV at build: `next dev` gets the eval and websocket it needs, a build never does.
  // eslint-disable-next-line no-restricted-properties -- a build constant, not configuration
  development: process.env.NODE_ENV === "development",
  sentryDsn: clientEnv.NEXT_PUBLIC_SENTRY_DSN,
  posthogHost: clientEnv.NEXT_PUBLIC_POSTHOG_KEY ? clientEnv.NEXT_PUBLIC_POSTHOG_HOST : undefined,
};

/**
 * The Flags SDK's override cookie (Flags Explorer). The SDK reads it with
 * FLAGS_SECRET and throws when there is none, so on a deployment without the
 * secret a visitor's own cookie would crash every page that reads a flag (a
 * fault counted against our availability). There it never reaches the app.
 */
const FLAG_OVERRIDES_COOKIE = "vercel-flag-overrides";
// eslint-disable-next-line no-restricted-properties -- the SDK reads the key from process.env itself; lib/env validates it at start
const overridesReadable = Boolean(process.env.FLAGS_SECRET);

export async function proxy(request: NextRequest) {
  const incoming = request.headers.get("x-request-id");
  const requestId = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
  const policy = contentSecurityPolicy(newNonce(), policyOptions);
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  // When the request arrived, so the page-render latency SLO can time the whole response (app/template.tsx).
  headers.set("x-request-start", String(Date.now()));
  // Which page this is, so a support session's page view is recorded by the server (lib/auth/session.ts).
  headers.set("x-request-path", request.nextUrl.pathname);
  headers.set("content-security-policy", policy);
  if (!overridesReadable && request.cookies.has(FLAG_OVERRIDES_COOKIE)) {
    const kept = (request.headers.get("cookie") ?? "").split(/;\s*/).filter((c) => !c.startsWith(`${FLAG_OVERRIDES_COOKIE}=`));
    headers.set("cookie", kept.join("; "));
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  response.headers.set("Content-Security-Policy", policy);
  // A session in use slides forward (Auth.js's own endpoints manage their cookies themselves).
  if (!request.nextUrl.pathname.startsWith("/api/auth/")) await renewSessionCookie(request, response);
  return response;
}

export const config = {
  // Static assets need no id, and health probes (polled constantly, no user, no log lines) skip
  // the proxy's extra hop: measured, it halved /api/health throughput. Both still get the fixed
  // security headers from next.config.ts; neither is a document a policy would protect. The
  // status page (exactly /status) skips it too: a script-free document with a policy of its own,
  // shared by every visitor, so it has no nonce, no session and no request id to give.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/health|status$).*)"],
};
