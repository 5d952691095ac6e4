import type { ErrorEvent, EventHint } from "@sentry/nextjs";

/**
 * Options shared by every Sentry runtime (node, edge, browser). Kept free of
 * SDK imports so each runtime's init file stays small. No tracing, no default
 * PII: the user is identified by id only, and request ids travel as tags.
 */
export function sentryOptions(dsn: string, extra: { environment?: string; release?: string } = {}) {
  return {
    dsn,
    environment: extra.environment ?? process.env.APP_ENV ?? process.env.VERCEL_ENV ?? process.env.NODE_ENV,
    release: extra.release,
    tracesSampleRate: 0,
    sendDefaultPii: false,
    beforeSend: liftRequestId,
  };
}

/**
 * Next's onRequestError hands Sentry the request headers; promote our
 * request id header to a searchable tag so an event, a log line and a
 * problem report share one id.
 */
export function liftRequestId(event: ErrorEvent, _hint?: EventHint): ErrorEvent {
  const headers = event.request?.headers;
  const requestId = headers?.["x-request-id"] ?? headers?.["X-Request-Id"];
  if (requestId && !event.tags?.request_id) event.tags = { ...event.tags, request_id: requestId };
  return event;
}
