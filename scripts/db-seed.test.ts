import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

// A production configuration complete enough to start: the seed must refuse it before touching any database.
const PRODUCTION = {
  APP_ENV: "production",
  AUTH_SECRET: "s".repeat(40),
  CRON_SECRET: "c".repeat(40),
  APP_URL: "https://breakwater.example",
  TRUSTED_PROXIES: "10.0.0.0/8",
  // Nothing listens here: reaching for it would fail differently from the refusal.
  DATABASE_URL: "postgres://nobody@127.0.0.1:1/breakwater",
  VAULT_DATABASE_URL: "postgres://nobody@127.0.0.1:1/vault",
  AUDIT_CHAIN_KEY: "k".repeat(48),
  STRIPE_SECRET_KEY: "sk_live_x",
  STRIPE_WEBHOOK_SECRET: "whsec_x",
  SMTP_URL: "smtps://mail.example:465",
  EMAIL_FROM: "Breakwater <no-reply@breakwater.example>",
};

describe("the demo seed", () => {
  it("refuses a production deployment: no demo accounts with a published password", () => {
    const run = spawnSync("npx", ["tsx", "--import", "./scripts/lib/server-runtime.mjs", "scripts/db-seed.ts"], {
      env: { ...process.env, ...PRODUCTION, PGLITE_DIR: "" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("Seeding demo data refuses APP_ENV=production");
    expect(run.stdout).not.toContain("Seeded demo data");
  });
});
