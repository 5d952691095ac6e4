import type { NextConfig } from "next";
import { withSentryConfig } from "@sentry/nextjs/config";
import "./lib/env";

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that the bundler must not touch.
  serverExternalPackages: ["@electric-sql/pglite"],
  // Migrations are read from disk at start; make sure serverless bundles carry them.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
  poweredByHeader: false,
  // Lets several builds (parallel test runs, two instances) live side by side.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
};

// Sentry's build step talks to sentry.io only to upload source maps and create a release, and only with an
// auth token; without one (local builds, CI, tests) it makes no network call. Telemetry is always off.
const sentryUpload = Boolean(process.env.SENTRY_AUTH_TOKEN);

export default withSentryConfig(nextConfig, {
  telemetry: false,
  silent: !sentryUpload,
  org: process.env.SENTRY_ORG,
  project: process.env.SENTRY_PROJECT,
  authToken: process.env.SENTRY_AUTH_TOKEN,
  sourcemaps: { disable: !sentryUpload },
  release: { create: sentryUpload, finalize: sentryUpload },
});
