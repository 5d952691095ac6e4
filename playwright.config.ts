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
const GLOBAL_STATE_SPECS = ["flags", "resilience", "status", "security", "maintenance"];
/** Quality gates with a place of their own in the run (visual first, the smoke suite after the journeys, Lighthouse last). */
const GATE_SPECS = ["visual", "smoke", "lighthouse"];

export default defineConfig({
  testDir: "./e2e",
  outputDir: "./test-results",
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  workers: 2,
  reporter: "list",
  timeout: 30_000,
  expect: { timeout: 10_000, toHaveScreenshot: { animations: "disabled", caret: "hide", scale: "css" } },
  // Visual baselines, committed; `npm run test:visual:update` rewrites them.
  snapshotPathTemplate: "{testDir}/__screenshots__/{arg}{ext}",
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
    // Visual regression runs first, while the database holds only the seed, so every page looks the same each run.
    {
      name: "visual",
      testMatch: /visual\.spec\.ts$/,
      dependencies: roles.map((role) => `setup-${role}`),
      use: { ...devices["Desktop Chrome"], trace: "off" },
    },
    {
      name: "chromium",
      testMatch: /.*\.spec\.ts/,
      testIgnore: [...GLOBAL_STATE_SPECS, ...GATE_SPECS].map((spec) => new RegExp(`${spec}\\.spec\\.ts$`)),
      dependencies: [...roles.map((role) => `setup-${role}`), "visual"],
      use: { ...devices["Desktop Chrome"] },
    },
    // The post-deploy smoke suite (npm run smoke) against this server, alone: with kill switches and faults
    // of the specs below it would be judging their deliberate refusals, and beside the journeys it would slow them.
    {
      name: "smoke",
      testMatch: /smoke\.spec\.ts$/,
      dependencies: ["chromium"],
    },
    // Specs that flip app-wide state (kill switches, breakers, faults) run after everything
    // else, one file at a time, each in a project that waits for the previous one.
    ...GLOBAL_STATE_SPECS.map((spec, i) => ({
      name: `global-${spec}`,
      testMatch: new RegExp(`${spec}\\.spec\\.ts$`),
      dependencies: [i === 0 ? "smoke" : `global-${GLOBAL_STATE_SPECS[i - 1]}`],
      use: { ...devices["Desktop Chrome"] },
    })),
    // Lighthouse measures CPU time: it runs after everything else, alone.
    {
      name: "lighthouse",
      testMatch: /lighthouse\.spec\.ts$/,
      dependencies: [`global-${GLOBAL_STATE_SPECS.at(-1)}`],
    },
  ],
  webServer: {
    // Migrations run as the owner (DATABASE_OWNER_URL, when scripts/test.sh sets one); the server then starts
    // without it, as the app's least-privilege role on an already migrated database, the way production runs.
    command: `npm run db:migrate && npm run db:seed && env -u DATABASE_OWNER_URL npx next start -H 127.0.0.1 -p ${PORT}`,
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
      // This app's own origin: browser mutations from anywhere else (another port included) are refused.
      // Links in emails point at the server under test.
      APP_URL: baseURL,
      // The Flags SDK's key (e2e/helpers.ts seals Flags Explorer overrides with the same one).
      FLAGS_SECRET: Buffer.alloc(32, 42).toString("base64url"),
      // A short breaker cooldown so the resilience journey sees open → half-open → closed quickly.
      BREAKER_COOLDOWN_MS: "10000",
      // A healthy limiter on a loaded 2-core test machine can take longer than production's 200 ms, and sign-in fails
      // closed on a timeout. The limiter's outage behaviour, with the real timeout, is proven by the fault suite.
      RATE_LIMIT_TIMEOUT_MS: "2000",
    },
  },
});
