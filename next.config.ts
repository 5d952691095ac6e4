import type { NextConfig } from "next";
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

export default nextConfig;
