import { defineConfig, devices } from "@playwright/test";

// The e2e server migrates, seeds and serves this database: never let it be a
// remote one. scripts/test.sh creates a fresh `breakwater_e2e` on the
// throwaway Postgres and passes it as DATABASE_URL.
const databaseUrl =
  process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:55432/breakwater_e2e";
const dbHost = new URL(databaseUrl).hostname;
if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(dbHost)) {
  throw new Error(
    `playwright.config.ts: refusing DATABASE_URL on host "${dbHost}"; e2e tests seed and mutate the database, use a local one.`,
  );
}

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${PORT}`;

const roles = ["user", "support", "admin"] as const;

/** Specs that change state every other spec sees; they must not overlap with anything. */
const GLOBAL_STATE_SPECS = ["flags", "resilience", "status"];

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: "list",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    // One sign-in per demo role; each saves e2e/.auth/<role>.json.
    ...roles.map((role) => ({
      name: `setup-${role}`,
      testMatch: new RegExp(`auth\\.setup\\.ts`),
      grep: new RegExp(`as ${role}$`),
      use: { ...devices["Desktop Chrome"] },
    })),
    {
      name: "chromium",
      testMatch: /.*\.spec\.ts/,
      testIgnore: GLOBAL_STATE_SPECS.map((spec) => new RegExp(`${spec}\\.spec\\.ts$`)),
      dependencies: roles.map((role) => `setup-${role}`),
      use: { ...devices["Desktop Chrome"] },
    },
    // Specs that flip app-wide state (kill switches, breakers, faults) run after everything
    // else, one file at a time, each in a project that waits for the previous one.
    ...GLOBAL_STATE_SPECS.map((spec, i) => ({
      name: `global-${spec}`,
      testMatch: new RegExp(`${spec}\\.spec\\.ts$`),
      dependencies: [i === 0 ? "chromium" : `global-${GLOBAL_STATE_SPECS[i - 1]}`],
      use: { ...devices["Desktop Chrome"] },
    })),
  ],
  webServer: {
    command: `npm run db:migrate && npm run db:seed && npx next start -H 127.0.0.1 -p ${PORT}`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      DATABASE_URL: databaseUrl,
      AUTH_SECRET: "some-test-secret",
      AUTH_TRUST_HOST: "true",
      APP_ENV: "development",
      CRON_SECRET: "test-cron-secret",
      NEXT_TELEMETRY_DISABLED: "1",
      // A short breaker cooldown so the resilience journey sees open → half-open → closed quickly.
      BREAKER_COOLDOWN_MS: "10000",
    },
  },
});
