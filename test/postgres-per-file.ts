import { copyDatabase, onDatabase } from "./database-copies";

/**
 * Vitest setup file for the Postgres phase (scripts/test.sh sets
 * POSTGRES_DATABASE_PER_FILE): each test file gets its own database, a copy of
 * the migrated one the phase's URLs name, and the same three roles (app,
 * owner, retention job) connect to the copy. Files then cannot see each
 * other's incidents, alerts, switches or budgets, which on one shared database
 * made tests pass or fail by the order files ran in. Runs before the file
 * imports the app, so lib/env reads the copy's URLs. Files run one after
 * another in this phase, so the copies of files that have finished are
 * dropped when the next one starts (the last is dropped with the cluster).
 */
const roles = { DATABASE_URL: process.env.DATABASE_URL, DATABASE_OWNER_URL: process.env.DATABASE_OWNER_URL, AUDIT_RETENTION_DATABASE_URL: process.env.AUDIT_RETENTION_DATABASE_URL };

if (process.env.POSTGRES_DATABASE_PER_FILE && roles.DATABASE_URL && roles.DATABASE_OWNER_URL) {
  const copy = await copyDatabase(roles.DATABASE_OWNER_URL, new URL(roles.DATABASE_URL).pathname.slice(1));
  for (const [name, url] of Object.entries(roles)) if (url) process.env[name] = onDatabase(url, copy);
}
