import { z } from "zod";

/**
 * Every environment variable the app reads, validated once. Imported by
 * next.config.ts so a bad production configuration fails the build and the
 * start, naming the missing variable, instead of failing on the first request.
 */
const appEnvs = ["development", "preview", "production"] as const;

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Which deployment this is; flags and strictness follow it. Vercel's VERCEL_ENV is used when unset. */
  APP_ENV: z.enum(appEnvs).optional(),
  VERCEL_ENV: z.enum(appEnvs).optional(),
  /** Postgres connection string. Unset: embedded PGlite under PGLITE_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /** PGlite data folder; `memory://` for a throwaway in-memory database (tests). */
  PGLITE_DIR: z.string().default(".data/pglite"),
  AUTH_SECRET: z.string().min(16).optional(),
  AUTH_GITHUB_ID: z.string().optional(),
  AUTH_GITHUB_SECRET: z.string().optional(),
  CRON_SECRET: z.string().min(16).optional(),
  /** Upstash Redis (REST) for rate limits and shared breaker state; unset: Postgres does both. */
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  /** Breaker overrides for e2e and drills (short cooldown, fewer calls before tripping). */
  BREAKER_COOLDOWN_MS: z.coerce.number().int().min(0).optional(),
  BREAKER_MIN_CALLS: z.coerce.number().int().min(1).optional(),
  /** Fault injection for the fake payments provider, e.g. `fail=100%,latency=200ms`. */
  FAKE_PAYMENTS_FAULTS: z.string().optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  APP_VERSION: z.string().optional(),
  VERCEL_GIT_COMMIT_SHA: z.string().optional(),
  /** Sentry: server/edge errors are sent only when a DSN is set; the browser uses NEXT_PUBLIC_SENTRY_DSN. */
  SENTRY_DSN: z.string().url().optional(),
  NEXT_PUBLIC_SENTRY_DSN: z.string().url().optional(),
  /** Org/project slugs and base URL, used to link a report to its Sentry event (and to upload source maps with an auth token). */
  SENTRY_ORG: z.string().optional(),
  SENTRY_PROJECT: z.string().optional(),
  SENTRY_URL: z.string().url().default("https://sentry.io"),
  SENTRY_AUTH_TOKEN: z.string().optional(),
  /** PostHog: product analytics load in the browser only with a key, and only after consent. */
  NEXT_PUBLIC_POSTHOG_KEY: z.string().optional(),
  NEXT_PUBLIC_POSTHOG_HOST: z.string().url().default("https://us.i.posthog.com"),
  /** PostHog's web app, for links from the reports inbox to a recorded session. */
  POSTHOG_UI_HOST: z.string().url().default("https://us.posthog.com"),
});

/** Secrets a production deployment cannot run without. */
const requiredInProduction = ["AUTH_SECRET", "CRON_SECRET", "DATABASE_URL"] as const;

/** Used only outside production so `npm run dev` works on a fresh clone. */
const DEV_AUTH_SECRET = "breakwater-development-secret-not-for-production";

function load() {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  const raw = parsed.data;
  const appEnv = raw.APP_ENV ?? raw.VERCEL_ENV ?? "development";
  if (appEnv === "production") {
    const missing = requiredInProduction.filter((key) => !raw[key]);
    if (missing.length > 0) {
      throw new Error(`Refusing to start in production: missing ${missing.join(", ")}`);
    }
  }
  return {
    ...raw,
    appEnv,
    authSecret: raw.AUTH_SECRET ?? DEV_AUTH_SECRET,
    appVersion: raw.APP_VERSION ?? raw.VERCEL_GIT_COMMIT_SHA?.slice(0, 7) ?? "dev",
    githubAuthEnabled: Boolean(raw.AUTH_GITHUB_ID && raw.AUTH_GITHUB_SECRET),
  };
}

export type Env = ReturnType<typeof load>;
export const env: Env = load();
