import * as Sentry from "@sentry/nextjs";
import { sentryOptions } from "@/lib/observability/sentry-options";

/**
 * Sentry for the server and edge runtimes, only when SENTRY_DSN is set:
 * without it nothing is initialised and nothing is sent.
 */
export async function register() {
  const dsn = process.env.SENTRY_DSN;
  if (!dsn) return;
  if (process.env.NEXT_RUNTIME === "nodejs" || process.env.NEXT_RUNTIME === "edge") {
    Sentry.init(sentryOptions(dsn, { release: process.env.APP_VERSION ?? process.env.VERCEL_GIT_COMMIT_SHA }));
  }
}

// Errors in server components, route handlers and server actions, with the request's headers and route.
export const onRequestError = Sentry.captureRequestError;
