import * as Sentry from "@sentry/nextjs";
import { env } from "@/lib/env";
import { scrubConsole } from "@/lib/observability/console";
import { captureRequestError } from "@/lib/observability/sentry";
import { sentryOptions } from "@/lib/observability/sentry-options";

/**
 * Validates the configuration at start (importing lib/env throws naming a bad
 * variable), scrubs secrets from the server's console output, records the
 * deploy's first start (preview and production), and sets up
 * Sentry for the server and edge runtimes, only when SENTRY_DSN is set:
 * without it nothing is initialised and nothing is sent.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    scrubConsole();
    // A deployed server notes when its version first started: `npm run ops -- rollback` works "since the last deploy" from it.
    // Not while `next build` loads this file (NEXT_PHASE is Next's own marker), and not in development, where nothing is deployed.
    if (process.env.NEXT_PHASE !== "phase-production-build" && env.appEnv !== "development") {
      const { recordDeployStart } = await import("@/lib/flags");
      void recordDeployStart();
    }
  }
  if (!env.SENTRY_DSN) return;
  // NEXT_RUNTIME is Next's own marker of which runtime is registering.
  if (process.env.NEXT_RUNTIME === "nodejs" || process.env.NEXT_RUNTIME === "edge") {
    Sentry.init(sentryOptions(env.SENTRY_DSN, { environment: env.appEnv, release: env.appVersion }));
  }
}

/**
 * Errors in server components, route handlers and server actions: sent to
 * Sentry with the request's headers and route (a crash the browser sees as
 * a digest under the event id its error page shows), and a page render that
 * crashed counts against web availability (route handlers and actions are
 * counted where they answer: lib/status/outcomes.ts, lib/status/link.ts).
 */
export async function onRequestError(...args: Parameters<typeof Sentry.captureRequestError>): Promise<void> {
  await captureRequestError(...args);
  if (process.env.NEXT_RUNTIME !== "nodejs" || args[2].routeType !== "render") return;
  const { recordPageCrash } = await import("@/lib/status/outcomes");
  const { IS_DEV_SERVER } = await import("@/lib/status/slo-report");
  if (!IS_DEV_SERVER) recordPageCrash();
}
