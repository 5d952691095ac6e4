import * as Sentry from "@sentry/nextjs";
import { sentryOptions } from "@/lib/observability/sentry-options";

// Browser errors go to Sentry only when a public DSN was set at build time.
const dsn = process.env.NEXT_PUBLIC_SENTRY_DSN;
if (dsn) {
  Sentry.init(
    sentryOptions(dsn, {
      environment: process.env.NEXT_PUBLIC_APP_ENV ?? process.env.NODE_ENV,
      release: process.env.NEXT_PUBLIC_APP_VERSION,
    }),
  );
}

export const onRouterTransitionStart = Sentry.captureRouterTransitionStart;
