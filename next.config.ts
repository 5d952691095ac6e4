import { execFileSync } from "node:child_process";
import type { NextConfig } from "next";
import { withSentryConfig } from "@sentry/nextjs/config";
import { validateBuildEnvironment } from "./lib/env/schema";
import { securityHeaders } from "./lib/security/headers";

// A bad or missing variable fails the build here, naming it (and again at start, in instrumentation.ts).
const env = validateBuildEnvironment();

/** The version this build shows (footer) and reports: APP_VERSION or the deployment's commit, else the checkout's commit. */
function buildVersion(): string {
  if (env.appVersion !== "dev") return env.appVersion;
  try {
    return execFileSync("git", ["rev-parse", "--short=7", "HEAD"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || "dev";
  } catch {
    return "dev";
  }
}

const nextConfig: NextConfig = {
  // PGlite ships WASM and data files that the bundler must not touch.
  serverExternalPackages: ["@electric-sql/pglite"],
  // Migrations are read from disk at start; make sure serverless bundles carry them.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
  poweredByHeader: false,
  // Lets several builds (parallel test runs, two instances) live side by side.
  distDir: env.NEXT_DIST_DIR,
  // A bench build also routes page.bench.tsx files: peers the bench measures pages against, never in a deployment.
  pageExtensions: env.BENCH_PAGES === "1" ? ["bench.tsx", "tsx", "ts"] : ["tsx", "ts"],
  // The browser learns which deployment it is part of at build time.
  env: { NEXT_PUBLIC_APP_ENV: env.appEnv, NEXT_PUBLIC_APP_VERSION: buildVersion() },
  // authInterrupts: forbidden() answers a real 403 with app/forbidden.tsx.
  // optimizePackageImports: only the Radix primitives and icons a page uses end up in its JavaScript.
  experimental: { authInterrupts: true, optimizePackageImports: ["radix-ui", "lucide-react"] },
  // The fixed security headers on every response; proxy.ts adds the per-request Content-Security-Policy.
  async headers() {
    const fixed = securityHeaders({ production: env.appEnv === "production" });
    return [{ source: "/:path*", headers: Object.entries(fixed).map(([key, value]) => ({ key, value })) }];
  },
};

// Sentry's build step talks to sentry.io only to upload source maps and create a release, and only with an
// auth token; without one (local builds, CI, tests) it makes no network call. Telemetry is always off.
const sentryUpload = Boolean(env.SENTRY_AUTH_TOKEN);

export default withSentryConfig(nextConfig, {
  telemetry: false,
  silent: !sentryUpload,
  org: env.SENTRY_ORG,
  project: env.SENTRY_PROJECT,
  authToken: env.SENTRY_AUTH_TOKEN,
  sourcemaps: { disable: !sentryUpload },
  release: { create: sentryUpload, finalize: sentryUpload },
});
