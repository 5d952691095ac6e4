import type { Breadcrumb, ErrorEvent, EventHint } from "@sentry/nextjs";
import { scrub } from "./scrub";

/**
 * Options shared by every Sentry runtime (node, edge, browser). Kept free of
 * SDK imports so each runtime's init file stays small. No tracing, no default
 * PII: the user is identified by id only, and request ids travel as tags.
 * Every event and breadcrumb is scrubbed before it is sent (./scrub.ts).
 */
export function sentryOptions(dsn: string, deployment: { environment: string; release?: string }) {
  return {
    dsn,
    environment: deployment.environment,
    release: deployment.release,
    tracesSampleRate: 0,
    sendDefaultPii: false,
    beforeSend: (event: ErrorEvent, hint?: EventHint) => liftRequestId(scrubEvent(event), hint),
    beforeBreadcrumb: (breadcrumb: Breadcrumb) => scrub(breadcrumb) as Breadcrumb,
  };
}

/** The event with secrets removed everywhere: exception messages, request, extra, contexts, breadcrumbs, user. */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  // The SDK's own processing metadata (scopes, the raw request) is never sent, and must keep its objects intact.
  const { sdkProcessingMetadata, ...sent } = event;
  const clean = { ...(scrub(sent) as ErrorEvent), sdkProcessingMetadata };
  // Only the id identifies the user; the request's cookies never leave.
  if (clean.user) clean.user = clean.user.id === undefined ? {} : { id: clean.user.id };
  if (clean.request) delete clean.request.cookies;
  return clean;
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
