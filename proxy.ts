import { NextResponse, type NextRequest } from "next/server";

/**
 * Gives every request an id before it reaches a route, so logs, audit
 * events, Sentry events and problem reports of one request share it, and
 * echoes it to the client; and stamps its arrival time. Nothing is authorised here: every action and
 * page checks for itself (DESIGN.md).
 */
const SAFE_ID = /^[A-Za-z0-9._-]{8,128}$/;

export function proxy(request: NextRequest) {
  const incoming = request.headers.get("x-request-id");
  const requestId = incoming && SAFE_ID.test(incoming) ? incoming : crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  // When the request arrived, so the page-render latency SLO can time the whole response (app/template.tsx).
  headers.set("x-request-start", String(Date.now()));
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  // Static assets need no id, and health probes (polled constantly, no user, no log lines) skip
  // the proxy's extra hop: measured, it halved /api/health throughput.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/health).*)"],
};
