import { z } from "zod";

/**
 * Every environment variable the app reads, validated once. The server
 * schema is parsed at start (lib/env/index.ts) and at build (next.config.ts),
 * so a bad configuration fails the build and the start, naming the variable,
 * instead of failing on the first request. Nothing outside lib/env reads
 * process.env (a lint rule enforces it).
 */
const APP_ENVS = ["development", "preview", "production"] as const;
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const httpUrl = z.url({ protocol: /^https?$/, error: "Must be an http(s) URL, e.g. https://app.example.com" });

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** 4, 6 or 0 like node:net's isIP, which this file can't import: the browser bundle reads its client schema. */
function ipFamily(value: string): 0 | 4 | 6 {
  if (IPV4.test(value)) return 4;
  if (!value.includes(":") || /[^0-9a-fA-F:.]/.test(value)) return 0;
  try {
    new URL(`http://[${value}]/`);
    return 6;
  } catch {
    return 0;
  }
}

/** An IP address, or an address with a prefix length (10.0.0.0/8, fd00::/8). */
function isAddressOrRange(value: string): boolean {
  const [address, prefix, ...rest] = value.split("/");
  const family = ipFamily(address ?? "");
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/** Loopback: the only proxy trusted by default, so `npm run dev` and tests see each local client's own address. */
const LOOPBACK_PROXIES = ["127.0.0.0/8", "::1"];

/**
 * This app's origins, from configuration only. A request's Host header is
 * chosen by whoever sends it; the configured URL is not. Vercel's deployment
 * hostnames count when present (a preview answers on several).
 */
function appOriginsFrom(raw: { APP_URL?: string; AUTH_URL?: string; VERCEL_URL?: string; VERCEL_BRANCH_URL?: string; VERCEL_PROJECT_PRODUCTION_URL?: string }): string[] {
  const urls = [raw.APP_URL, raw.AUTH_URL, ...[raw.VERCEL_PROJECT_PRODUCTION_URL, raw.VERCEL_URL, raw.VERCEL_BRANCH_URL].map((host) => (host ? `https://${host}` : undefined))];
  const origins = urls.flatMap((url) => {
    if (!url) return [];
    try {
      return [new URL(url).origin];
    } catch {
      return [];
    }
  });
  return [...new Set(origins)];
}
export const serverSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Which deployment this is; flags and strictness follow it. Vercel's VERCEL_ENV is used when unset. */
  APP_ENV: z.enum(APP_ENVS).optional(),
  VERCEL_ENV: z.enum(APP_ENVS).optional(),
  /** Vercel's region, part of an instance's id on the flag-propagation view. */
  VERCEL_REGION: z.string().max(32).optional(),
  /** Set to "1" by Vercel: its edge sets the client address headers, so they are trusted. */
  VERCEL: z.string().optional(),
  /** Vercel's hostnames for this deployment (no scheme): each is one of this app's origins. */
  VERCEL_URL: z.string().max(253).optional(),
  VERCEL_BRANCH_URL: z.string().max(253).optional(),
  VERCEL_PROJECT_PRODUCTION_URL: z.string().max(253).optional(),
  /** This app's public URL (scheme, host, port): the only origin browser mutations and redirects may come from. */
  APP_URL: httpUrl.optional(),
  /** Auth.js's own idea of the public URL; when set it is an origin of this app too. */
  AUTH_URL: httpUrl.optional(),
  /**
   * The proxies in front of the app that append to X-Forwarded-For (addresses or CIDR ranges, comma-separated).
   * The client is the right-most address none of them holds. Default outside production: loopback only.
   */
  TRUSTED_PROXIES: z
    .string()
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(z.string().refine(isAddressOrRange, "Each entry must be an IP address or a CIDR range like 10.0.0.0/8.")))
    .optional(),
  /** Postgres connection string the app runs as (least privilege: a member of breakwater_app). Unset: embedded PGlite under PGLITE_DIR. */
  DATABASE_URL: z.string().url().optional(),
  /**
   * `transaction` when DATABASE_URL goes through a transaction-mode pooler (PgBouncer, Neon's or Supabase's pooled
   * URL): no prepared statements, no session settings at connect (the role carries the timeouts), no migrations
   * through it. Unset: a direct connection or a session-mode pooler.
   */
  DATABASE_POOL_MODE: z.enum(["session", "transaction"]).optional(),
  /** The role that owns the schema and runs migrations (`npm run db:migrate`). Unset: DATABASE_URL migrates (one-role setups). */
  DATABASE_OWNER_URL: z.string().url().optional(),
  /** The audit retention job's own role (a member of breakwater_audit_retention). Unset: the job uses DATABASE_URL. */
  AUDIT_RETENTION_DATABASE_URL: z.string().url().optional(),
  /** PGlite data folder; `memory://` for a throwaway in-memory database (tests). */
  PGLITE_DIR: z.string().default(".data/pglite"),
  /** A dump of a migrated PGlite data folder: a `memory://` database starts from it instead of an empty cluster (the test runner makes one per run). */
  PGLITE_TEMPLATE: z.string().optional(),
  /** Set by `npm run dev` for the server it starts: lets that server open the PGlite folder the dev command holds. */
  PGLITE_LOCK_TOKEN: z.string().min(16).optional(),
  /** Where records that must survive a database restore are kept (lib/vault): a second Postgres database… */
  VAULT_DATABASE_URL: z.string().url().optional(),
  /** …or, without one, append-only files in this directory (keep it with your backups). */
  VAULT_DIR: z.string().default(".data/vault"),
  AUTH_SECRET: z.string().min(16).optional(),
  AUTH_GITHUB_ID: z.string().optional(),
  AUTH_GITHUB_SECRET: z.string().optional(),
  CRON_SECRET: z.string().min(16).optional(),
  /**
   * The Flags SDK's key (32 random bytes, base64url): it guards the Flags Explorer discovery endpoint and decrypts a
   * developer's override cookie. Unset: the endpoint answers 404 and overrides are ignored; flags still evaluate.
   */
  FLAGS_SECRET: z
    .string()
    .refine((v) => Buffer.from(v, "base64url").length === 32, "FLAGS_SECRET must be 32 random bytes in base64url: node -e \"console.log(crypto.randomBytes(32).toString('base64url'))\"")
    .optional(),
  /** Key of the audit log's HMAC chain, anchors and checkpoints; never stored in the database. Never rotate it. */
  AUDIT_CHAIN_KEY: z.string().min(32, "AUDIT_CHAIN_KEY must be at least 32 characters").optional(),
  AUDIT_LANES: z.coerce.number().int().min(1).max(32).optional(),
  /** Key for the stable pseudonymous ids of deleted users; AUTH_SECRET when unset. Never rotate it. */
  TOMBSTONE_SECRET: z.string().min(16).optional(),
  /** Upstash Redis (REST) for rate limits and shared breaker state; unset: Postgres does both. */
  UPSTASH_REDIS_REST_URL: z.string().url().optional(),
  UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
  /** Breaker overrides for e2e and drills (short cooldown, fewer calls before tripping). */
  BREAKER_COOLDOWN_MS: int(0, 3_600_000).optional(),
  /** At most the breaker's window (20 calls, lib/breakers/config.ts): a larger minimum could never be reached, and the breaker refuses it. */
  BREAKER_MIN_CALLS: int(1, 20).optional(),
  /** How long a rate-limit check may wait for its store (default 200 ms); the test suite gives a loaded machine longer. */
  RATE_LIMIT_TIMEOUT_MS: int(10, 60_000).optional(),
  /** Fault injection for the fake providers, e.g. `fail=100%,latency=200ms`. */
  FAKE_PAYMENTS_FAULTS: z.string().optional(),
  FAKE_EMAIL_FAULTS: z.string().optional(),
  /** Stripe's secret key: with it, payments go to Stripe; without it, to the fake provider. */
  STRIPE_SECRET_KEY: z.string().min(1).optional(),
  /** The signing secret of the Stripe webhook endpoint (/api/webhooks/stripe); required with STRIPE_SECRET_KEY. */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** Where Stripe's API is (tests point it at a local stand-in); Stripe's own host when unset. */
  STRIPE_API_BASE: z.string().url().optional(),
  /** SMTP transport, e.g. `smtps://user:pass@smtp.example.com:465`; without it, email goes to the development outbox. */
  SMTP_URL: z.string().url().optional(),
  /** The From address of every email; required with SMTP_URL. */
  EMAIL_FROM: z.string().min(3).optional(),
  /** Alert destinations: a Slack incoming webhook… */
  ALERT_SLACK_WEBHOOK_URL: z.string().url().optional(),
  /** …a PagerDuty Events API v2 routing key (integration key)… */
  PAGERDUTY_ROUTING_KEY: z.string().min(1).optional(),
  PAGERDUTY_EVENTS_URL: z.string().url().default("https://events.pagerduty.com/v2/enqueue"),
  /** …and email addresses (comma-separated). */
  ALERT_EMAIL_TO: z.string().optional(),
  /** A breaker open this long raises an alert. */
  ALERT_BREAKER_OPEN_MINUTES: int(1, 1440).default(5),
  /** Grace period between a deletion request and the purge. */
  ACCOUNT_DELETION_GRACE_DAYS: int(0, 90).default(14),
  /** Longest read-only support session. */
  IMPERSONATION_MAX_MINUTES: int(1, 240).default(30),
  /** Share of support-session page views kept in the audit log. */
  AUDIT_PAGE_VIEW_SAMPLE_RATE: z.coerce.number().min(0).max(1).default(1),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).optional(),
  APP_VERSION: z.string().optional(),
  VERCEL_GIT_COMMIT_SHA: z.string().optional(),
  /** Sentry: server/edge errors are sent only when a DSN is set; the browser uses NEXT_PUBLIC_SENTRY_DSN. */
  SENTRY_DSN: z.string().url().optional(),
  /** Org/project slugs and base URL, used to link a report to its Sentry event (and to upload source maps with an auth token). */
  SENTRY_ORG: z.string().optional(),
  SENTRY_PROJECT: z.string().optional(),
  SENTRY_URL: z.string().url().default("https://sentry.io"),
  SENTRY_AUTH_TOKEN: z.string().optional(),
  /** PostHog's web app, for links from the reports inbox to a recorded session. */
  POSTHOG_UI_HOST: z.string().url().default("https://us.posthog.com"),
  /** Vercel REST API access for `npm run ops -- rollback --deploy` (promote the previous production deployment). */
  VERCEL_TOKEN: z.string().min(1).optional(),
  VERCEL_PROJECT_ID: z.string().min(1).optional(),
  /** The team that owns the project, when it is not a personal account. */
  VERCEL_TEAM_ID: z.string().min(1).optional(),
  /** Where Vercel's API is (tests point it at a local stand-in). */
  VERCEL_API_URL: z.string().url().default("https://api.vercel.com"),
  /** Build folder, so several builds can live side by side. */
  NEXT_DIST_DIR: z.string().default(".next"),
  /** Builds the bench's peer pages (files named page.bench.tsx) too; only `npm run bench` sets it. */
  BENCH_PAGES: z.enum(["0", "1"]).default("0"),
});

/** Variables the browser bundle may see: only NEXT_PUBLIC_*, inlined at build. */
export const clientSchema = z.object({
  NEXT_PUBLIC_SENTRY_DSN: z.string().url().optional(),
  NEXT_PUBLIC_POSTHOG_KEY: z.string().optional(),
  NEXT_PUBLIC_POSTHOG_HOST: z.string().url().default("https://us.i.posthog.com"),
  NEXT_PUBLIC_APP_ENV: z.enum(APP_ENVS).optional(),
  NEXT_PUBLIC_APP_VERSION: z.string().optional(),
});

/** Secrets a production deployment cannot run without. */
const REQUIRED_IN_PRODUCTION = ["AUTH_SECRET", "CRON_SECRET", "DATABASE_URL", "VAULT_DATABASE_URL", "AUDIT_CHAIN_KEY", "STRIPE_SECRET_KEY", "SMTP_URL"] as const;

/** Variables that make no sense alone. */
const REQUIRED_TOGETHER = [
  ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"],
  ["SMTP_URL", "EMAIL_FROM"],
  ["DATABASE_OWNER_URL", "DATABASE_URL"],
  ["AUDIT_RETENTION_DATABASE_URL", "DATABASE_URL"],
  ["VERCEL_TOKEN", "VERCEL_PROJECT_ID"],
] as const;

/** Used only outside production so `npm run dev` works on a fresh clone. */
const DEV_AUTH_SECRET = "breakwater-development-secret-not-for-production";

function problems(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
}

/** Parses the server environment; throws naming every bad or missing variable. */
export function loadServerEnv(source: Record<string, string | undefined>) {
  const parsed = serverSchema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment: ${problems(parsed.error)}`);
  const raw = parsed.data;
  const appEnv = raw.APP_ENV ?? raw.VERCEL_ENV ?? "development";
  const appOrigins = appOriginsFrom(raw);
  const onVercel = raw.VERCEL === "1";
  if (appEnv === "production") {
    const missing: string[] = REQUIRED_IN_PRODUCTION.filter((key) => !raw[key]);
    // Without its own origin the app could not tell its pages from another site's; without a client-address source every visitor shares one.
    if (appOrigins.length === 0) missing.push("APP_URL");
    if (!onVercel && !raw.TRUSTED_PROXIES) missing.push("TRUSTED_PROXIES");
    if (missing.length > 0) throw new Error(`Refusing to start in production: missing ${missing.join(", ")}`);
  }
  for (const [key, needs] of REQUIRED_TOGETHER) {
    if (raw[key] && !raw[needs]) throw new Error(`Invalid environment: ${key} is set, so ${needs} is required too`);
  }
  const authSecret = raw.AUTH_SECRET ?? DEV_AUTH_SECRET;
  return {
    ...raw,
    appEnv,
    authSecret,
    tombstoneSecret: raw.TOMBSTONE_SECRET ?? authSecret,
    // Outside production the chain key follows the auth secret, so a fresh clone needs no setup.
    auditChainKey: raw.AUDIT_CHAIN_KEY ?? `audit-chain:${authSecret}`,
    // One lane until an operator opts in: a build from before lanes mis-appends once a category has more than one.
    auditLanes: raw.AUDIT_LANES ?? 1,
    appVersion: raw.APP_VERSION ?? raw.VERCEL_GIT_COMMIT_SHA?.slice(0, 7) ?? "dev",
    githubAuthEnabled: Boolean(raw.AUTH_GITHUB_ID && raw.AUTH_GITHUB_SECRET),
    appOrigins,
    /** The app's public address: links in emails (often sent by a job, with no request to take the host from) and the uptime probe's target. */
    appUrl: appOrigins[0] ?? "http://localhost:3000",
    /** Where the client address comes from: Vercel's edge headers, or X-Forwarded-For as far as the trusted proxies go. */
    clientAddress: onVercel ? ({ source: "vercel" } as const) : ({ source: "proxies", trusted: raw.TRUSTED_PROXIES ?? (appEnv === "production" ? [] : LOOPBACK_PROXIES) } as const),
    logLevel: raw.LOG_LEVEL ?? (raw.NODE_ENV === "test" ? "silent" : "info"),
    alertEmailTo: (raw.ALERT_EMAIL_TO ?? "").split(",").map((a) => a.trim()).filter(Boolean),
  };
}

export type Env = ReturnType<typeof loadServerEnv>;

export function loadClientEnv(source: Record<string, string | undefined>) {
  const parsed = clientSchema.safeParse(source);
  if (!parsed.success) throw new Error(`Invalid environment: ${problems(parsed.error)}`);
  return parsed.data;
}

/** For next.config.ts: fails the build on a bad configuration, and returns what the build itself needs. */
export function validateBuildEnvironment() {
  const server = loadServerEnv(process.env);
  loadClientEnv(process.env);
  return server;
}
