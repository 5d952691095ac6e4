import { currentSentry, registerSentryStarter } from "@/components/observability/browser-config";
import { sentryOptions } from "@/lib/observability/sentry-options";

type Sentry = typeof import("@sentry/nextjs");

/**
 * Browser errors go to Sentry only when a public DSN was set at build time
 * (the root layout passes it to BrowserSetup). The SDK is a separate chunk,
 * fetched once the page has loaded and the main thread is idle: it never
 * delays the first paint or interactivity. Errors before then still reach
 * the report dialog, which keeps its own list.
 */
registerSentryStarter(async ({ sentryDsn, environment, version }) => {
  const sentry = await import("@sentry/nextjs");
  sentry.init(sentryOptions(sentryDsn, { environment, release: version }));
  return sentry;
});

export function onRouterTransitionStart(...args: Parameters<Sentry["captureRouterTransitionStart"]>): void {
  currentSentry()?.captureRouterTransitionStart(...args);
}
