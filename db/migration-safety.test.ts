import path from "node:path";
import { describe, expect, it } from "vitest";
import { isRisky, lintMigrations, readHeader, readMigrations, type Migration } from "./migration-safety";

const base: Migration = {
  tag: "0000_base",
  when: 1,
  sql: `CREATE TABLE "users" (\n\t"id" uuid PRIMARY KEY NOT NULL,\n\t"name" text NOT NULL,\n\t"nick" varchar(20),\n\t"score" integer,\n\t"total" bigint\n);`,
};
const next = (sql: string): Migration[] => [base, { tag: "0001_next", when: 2, sql }];
const problems = (sql: string) => lintMigrations(next(sql)).map((f) => f.problem);

describe("the migration lint (expand/contract)", () => {
  it("passes every committed migration", () => {
    expect(lintMigrations(readMigrations(path.join(process.cwd(), "db", "migrations")))).toEqual([]);
  });

  it.each([
    ["a dropped table", `DROP TABLE "users";`, /drops table users/],
    ["a dropped column", `ALTER TABLE "users" DROP COLUMN "nick";`, /drops column users.nick/],
    ["a narrowed type", `ALTER TABLE "users" ALTER COLUMN "name" SET DATA TYPE varchar(10);`, /changes the type of users.name to varchar\(10\)/],
    ["bigint to integer", `ALTER TABLE "users" ALTER COLUMN "total" TYPE integer USING total::integer;`, /changes the type of users.total/],
    ["a shorter varchar", `ALTER TABLE "users" ALTER COLUMN "nick" SET DATA TYPE varchar(5);`, /changes the type of users.nick/],
    ["SET NOT NULL", `ALTER TABLE "users" ALTER COLUMN "nick" SET NOT NULL;`, /makes users.nick NOT NULL/],
    ["NOT NULL without default on an existing table", `ALTER TABLE "users" ADD COLUMN "plan" text NOT NULL;`, /adds users.plan NOT NULL without a default/],
    ["a renamed column", `ALTER TABLE "users" RENAME COLUMN "nick" TO "nickname";`, /renames in users/],
    ["a renamed table", `ALTER TABLE "users" RENAME TO "people";`, /renames in users/],
  ])("fails on %s unless declared a contract step", (_, sql, expected) => {
    const found = problems(sql);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(expected);
    expect(found[0]).toMatch(/declare the contract/);
    expect(problems(`-- step: contract\n-- follows: 0000_base\n-- why: nothing reads it since the last deploy\n${sql}`)).toEqual([]);
  });

  it("lets additive changes and widenings through, and is not fooled by comments", () => {
    for (const sql of [
      `ALTER TABLE "users" ADD COLUMN "plan" text DEFAULT 'free' NOT NULL;`,
      `ALTER TABLE "users" ADD COLUMN "bio" text;`,
      `CREATE TABLE "teams" ("id" uuid PRIMARY KEY NOT NULL);--> statement-breakpoint\nALTER TABLE "teams" ADD COLUMN "name" text NOT NULL;`,
      `ALTER TABLE "users" ALTER COLUMN "score" SET DATA TYPE bigint;`,
      `ALTER TABLE "users" ALTER COLUMN "nick" SET DATA TYPE text;`,
      `ALTER TABLE "users" ALTER COLUMN "nick" SET DATA TYPE varchar(40);`,
      `-- We never DROP TABLE "users" here.\nCREATE INDEX "users_name_idx" ON "users" ("name");`,
      `DROP FUNCTION IF EXISTS audit_digest(); CREATE FUNCTION audit_digest() RETURNS text LANGUAGE sql AS $$ select '' $$;`,
    ]) {
      expect(problems(sql), sql).toEqual([]);
    }
  });

  it("refuses a contract step that does not name an earlier migration or say why, and an expand step that drops", () => {
    expect(problems(`-- step: contract\n-- follows: 0099_future\n-- why: reasons\nDROP TABLE "users";`)[0]).toMatch(/must name the earlier migration/);
    expect(problems(`-- step: contract\n-- follows: 0000_base\nDROP TABLE "users";`)[0]).toMatch(/must say why/);
    expect(problems(`-- step: expand\nALTER TABLE "users" DROP COLUMN "nick";`)[0]).toMatch(/declares itself an expand step, which only adds/);
  });

  it("marks contract steps and migrations declared risky", () => {
    expect(readHeader(`-- step: contract\n-- follows: 0000_base\n-- why: x\n-- risky: big table`)).toEqual({ step: "contract", follows: "0000_base", why: "x", risky: "big table" });
    expect(isRisky({ tag: "a", when: 1, sql: `-- step: contract\nDROP TABLE x;` })).toBe(true);
    expect(isRisky({ tag: "b", when: 1, sql: `-- risky: backfills 10M rows\nUPDATE x SET y = 1;` })).toBe(true);
    expect(isRisky({ tag: "c", when: 1, sql: `ALTER TABLE x ADD COLUMN y text;` })).toBe(false);
  });
});
