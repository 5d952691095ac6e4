import postgres from "postgres";

/**
 * Copies of a migrated Postgres database, one per test file (used by
 * test/postgres-per-file.ts). A copy is the template's contents under a new
 * name, `<template>_<suffix>`, with its own audit chain identity.
 */
const at = (url: string, database: string) => Object.assign(new URL(url), { pathname: `/${database}` }).toString();

/** Makes a fresh copy of `template` as the owner role, first dropping the copies of files that have finished. */
export async function copyDatabase(ownerUrl: string, template: string): Promise<string> {
  const copy = `${template}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const maintenance = postgres(at(ownerUrl, "postgres"), { max: 1, onnotice: () => {} });
  try {
    const finished = await maintenance<{ datname: string }[]>`select datname from pg_database where datname like ${`${template}\_%`}`;
    // The owner is not a superuser and may not end another role's sessions, so a copy the app's role is still
    // connected to (a child process that outlived its file, a backend still closing) is left for a later file.
    for (const { datname } of finished) await maintenance.unsafe(`drop database if exists "${datname}" with (force)`).catch(() => {});
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
  } finally {
    await maintenance.end();
  }
  // Its own audit chain identity, as every database has: anchors in the run's shared vault must never cross databases.
  const owner = postgres(at(ownerUrl, copy), { max: 1, onnotice: () => {} });
  try {
    await owner.unsafe("update audit_chain set chain_id = gen_random_uuid(), created_at = now()");
  } finally {
    await owner.end();
  }
  return copy;
}

/** The same connection string on another database. */
export { at as onDatabase };
