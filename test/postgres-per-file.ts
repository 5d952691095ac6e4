import postgres from "postgres";

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
  const template = new URL(roles.DATABASE_URL).pathname.slice(1);
  const copy = `${template}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const at = (url: string, database: string) => Object.assign(new URL(url), { pathname: `/${database}` }).toString();
  const maintenance = postgres(at(roles.DATABASE_OWNER_URL, "postgres"), { max: 1, onnotice: () => {} });
  const finished = await maintenance<{ datname: string }[]>`select datname from pg_database where datname like ${`${template}\_%`}`;
  for (const { datname } of finished) await maintenance.unsafe(`drop database if exists "${datname}" with (force)`);
  // A copy needs the template to itself: a connection still closing there is waited out.
  for (let attempt = 0; ; attempt++) {
    try {
      await maintenance.unsafe(`create database "${copy}" template "${template}"`);
      break;
    } catch (error) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  // Its own audit chain identity, as every database has: anchors in the run's shared vault must never cross databases.
  const owner = postgres(at(roles.DATABASE_OWNER_URL, copy), { max: 1, onnotice: () => {} });
  await owner.unsafe("update audit_chain set chain_id = gen_random_uuid(), created_at = now()");
  await owner.end();
  await maintenance.end();
  for (const [name, url] of Object.entries(roles)) if (url) process.env[name] = at(url, copy);
}
