import postgres from "postgres";
import { afterAll, describe, expect, it } from "vitest";
import { copyDatabase, onDatabase } from "./database-copies";

/**
 * The Postgres phase's per-file copies (test/postgres-per-file.ts). The owner
 * role that makes them is not a superuser, so it may not end another role's
 * sessions: a copy the app's role is still connected to (a child process
 * that outlived its test file, a backend still closing) cannot be dropped.
 */
const ownerUrl = process.env.DATABASE_OWNER_URL;
const appUrl = process.env.DATABASE_URL;
/**
 * The app's role on the owner's direct connection: through a pooler (the Postgres phase's DATABASE_URL), ending
 * the client leaves the pooler's server session on the copy until its idle timeout, and "once it is free" never
 * comes within the test. A session of the app's role that ends when its client does is what this is about.
 */
const directAppUrl = ownerUrl && appUrl ? Object.assign(new URL(ownerUrl), { username: new URL(appUrl).username, password: new URL(appUrl).password }).toString() : undefined;
const template = `bwcopies_${Math.random().toString(36).slice(2, 8)}`;
const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.skipIf(!ownerUrl || !appUrl)("per-file database copies (Postgres)", () => {
  it("makes a copy when a finished copy is still held by the app's role, and drops it once it is free", async () => {
    const owner = postgres(onDatabase(ownerUrl!, "postgres"), { max: 1, onnotice: () => {} });
    cleanups.push(async () => {
      const left = await owner<{ datname: string }[]>`select datname from pg_database where datname like ${`${template}%`}`;
      for (const { datname } of left) await owner.unsafe(`drop database if exists "${datname}" with (force)`);
      await owner.end();
    });
    const current = new URL(ownerUrl!).pathname.slice(1);
    await owner.unsafe(`create database "${template}" template "${current}"`);
    const finished = `${template}_finished`;
    await owner.unsafe(`create database "${finished}"`);
    const lingering = postgres(onDatabase(directAppUrl!, finished), { max: 1, onnotice: () => {} });
    cleanups.push(() => lingering.end());
    await lingering`select 1`;

    const held = await copyDatabase(ownerUrl!, template);
    const names = async () => (await owner<{ datname: string }[]>`select datname from pg_database where datname like ${`${template}\_%`}`).map((r) => r.datname).sort();
    expect(await names()).toEqual([held, finished].sort());

    await lingering.end();
    const next = await copyDatabase(ownerUrl!, template);
    expect(await names()).toEqual([next]);
  });
});
