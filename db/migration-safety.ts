import fs from "node:fs";
import path from "node:path";

/**
 * Migrations that cannot surprise you: expand/contract.
 *
 * A migration either *expands* the schema (adds tables, nullable columns,
 * columns with a default, indexes, functions): the build before it runs on
 * the new schema unchanged, so a deploy can be rolled back without touching
 * the database. Or it *contracts* (drops a table or column, narrows a type,
 * makes a column NOT NULL, renames): a build that still uses the old shape
 * breaks, so it must come after an expand step and a deploy that stopped
 * using what it removes. A contracting migration declares it in its header:
 *
 *   -- step: contract
 *   -- follows: 0012_users_display_name
 *   -- why: users.legacy_name is unread since the deploy of 0012; its data was copied to display_name
 *
 * `follows` names the earlier migration whose expand step this completes.
 * Any migration may also say `-- risky: <why>` (a large backfill, say).
 * Contracting and risky migrations make `npm run db:migrate` take a backup
 * before it applies them (scripts/lib/migrate-safely.ts).
 */
export type MigrationStep = "expand" | "contract";
export type Migration = { tag: string; when: number; sql: string };
export type MigrationHeader = { step: MigrationStep | null; follows: string | null; why: string | null; risky: string | null };
export type Finding = { tag: string; problem: string };

const HEADER_LINE = /^--\s*(step|follows|why|risky):\s*(.*?)\s*$/gim;

export function readHeader(sql: string): MigrationHeader {
  const header: MigrationHeader = { step: null, follows: null, why: null, risky: null };
  for (const [, key, value] of sql.matchAll(HEADER_LINE)) {
    if (key!.toLowerCase() === "step") header.step = value === "expand" || value === "contract" ? value : null;
    else header[key!.toLowerCase() as "follows" | "why" | "risky"] = value || null;
  }
  return header;
}

/** SQL without comments, so a comment mentioning DROP is not a DROP. */
function withoutComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/--[^\n]*/g, " ");
}

/** Type changes that keep every value and every reader working. */
const WIDENINGS: [RegExp, RegExp][] = [
  [/^(smallint|int2)$/, /^(integer|int|int4|bigint|int8|numeric)$/],
  [/^(integer|int|int4)$/, /^(bigint|int8|numeric)$/],
  [/^(real|float4)$/, /^(double precision|float8)$/],
  [/^(varchar|character varying)(\(\d+\))?$/, /^text$/],
];

function isWidening(from: string | undefined, to: string): boolean {
  if (!from) return false;
  const a = from.toLowerCase().replace(/\s+/g, " ").trim();
  const b = to.toLowerCase().replace(/\s+/g, " ").trim();
  const lengths = (t: string) => /^(varchar|character varying)\((\d+)\)$/.exec(t)?.[2];
  if (lengths(a) && lengths(b)) return Number(lengths(b)) >= Number(lengths(a));
  return WIDENINGS.some(([f, t]) => f.test(a) && t.test(b));
}

/** Column types as created by earlier migrations ("table.column" → type), for judging a type change. */
function columnTypes(migrations: Migration[]): Map<string, string> {
  const types = new Map<string, string>();
  for (const m of migrations) {
    const sql = withoutComments(m.sql);
    for (const [, table, body] of sql.matchAll(/CREATE TABLE(?: IF NOT EXISTS)?\s+"?(\w+)"?\s*\(([\s\S]*?)\);/gi)) {
      for (const [, column, type] of body!.matchAll(/^\s*"(\w+)"\s+("?[\w ]+"?(?:\(\d+(?:,\s*\d+)?\))?)/gim)) types.set(`${table}.${column}`, type!.replaceAll('"', "").trim());
    }
    for (const [, table, column, type] of sql.matchAll(/ALTER TABLE\s+"?(\w+)"?\s+ADD COLUMN(?: IF NOT EXISTS)?\s+"?(\w+)"?\s+("?[\w ]+?"?(?:\(\d+(?:,\s*\d+)?\))?)(?=\s|;|,|$)/gi)) {
      types.set(`${table}.${column}`, type!.replaceAll('"', "").trim());
    }
  }
  return types;
}

/** The destructive statements in one migration, each in a sentence. `earlier`: the migrations before it. */
export function destructiveStatements(migration: Migration, earlier: Migration[]): string[] {
  const sql = withoutComments(migration.sql);
  const found: string[] = [];
  const createdHere = new Set([...sql.matchAll(/CREATE TABLE(?: IF NOT EXISTS)?\s+"?(\w+)"?/gi)].map((m) => m[1]!.toLowerCase()));
  for (const m of sql.matchAll(/DROP TABLE(?: IF EXISTS)?\s+"?(\w+)"?/gi)) found.push(`drops table ${m[1]}`);
  const types = columnTypes(earlier);
  for (const statement of sql.split(/;|-->\s*statement-breakpoint/)) {
    const table = /ALTER TABLE(?: ONLY)?(?: IF EXISTS)?\s+"?(\w+)"?/i.exec(statement)?.[1];
    if (!table) continue;
    for (const m of statement.matchAll(/DROP COLUMN(?: IF EXISTS)?\s+"?(\w+)"?/gi)) found.push(`drops column ${table}.${m[1]}`);
    for (const m of statement.matchAll(/ALTER COLUMN\s+"?(\w+)"?\s+SET NOT NULL/gi)) found.push(`makes ${table}.${m[1]} NOT NULL`);
    for (const m of statement.matchAll(/ALTER COLUMN\s+"?(\w+)"?\s+(?:SET DATA )?TYPE\s+("?[\w ]+?"?(?:\(\d+(?:,\s*\d+)?\))?)(?=\s+USING|\s*,|\s*$)/gi)) {
      const to = m[2]!.replaceAll('"', "").trim();
      if (!isWidening(types.get(`${table}.${m[1]}`), to)) found.push(`changes the type of ${table}.${m[1]} to ${to} (not a known widening)`);
    }
    if (!createdHere.has(table.toLowerCase())) {
      for (const m of statement.matchAll(/ADD COLUMN(?: IF NOT EXISTS)?\s+"?(\w+)"?([^,]*)/gi)) {
        if (/NOT NULL/i.test(m[2]!) && !/DEFAULT/i.test(m[2]!) && !/GENERATED/i.test(m[2]!)) found.push(`adds ${table}.${m[1]} NOT NULL without a default to an existing table`);
      }
    }
    if (/\bRENAME\b/i.test(statement)) found.push(`renames in ${table}`);
  }
  if (/\bALTER\s+(TYPE|INDEX|SEQUENCE|VIEW|FUNCTION)\b[^;]*\bRENAME\b/i.test(sql)) found.push("renames a type, index, sequence, view or function");
  return found;
}

/** Every problem with the migrations, in order: undeclared destructive statements and bad headers. */
export function lintMigrations(migrations: Migration[]): Finding[] {
  const findings: Finding[] = [];
  migrations.forEach((m, i) => {
    const header = readHeader(m.sql);
    const destructive = destructiveStatements(m, migrations.slice(0, i));
    const earlierTags = new Set(migrations.slice(0, i).map((x) => x.tag));
    if (header.step === "contract") {
      if (!header.follows || !earlierTags.has(header.follows)) findings.push({ tag: m.tag, problem: `a contract step must name the earlier migration it follows ("-- follows: <tag>"); got ${header.follows ?? "nothing"}` });
      if (!header.why) findings.push({ tag: m.tag, problem: 'a contract step must say why it is safe now ("-- why: …")' });
    } else if (destructive.length > 0) {
      const declared = header.step === "expand" ? "declares itself an expand step, which only adds, but it " : "";
      findings.push({ tag: m.tag, problem: `${declared}${destructive.join("; ")}: split it into expand and contract steps and declare the contract ("-- step: contract", "-- follows: <tag>", "-- why: …")` });
    }
  });
  return findings;
}

/** Contract steps and migrations marked risky: `db:migrate` backs up before applying one. */
export function isRisky(migration: Migration): boolean {
  const header = readHeader(migration.sql);
  return header.step === "contract" || header.risky !== null;
}

/** The migrations of a folder, in journal order. */
export function readMigrations(folder: string): Migration[] {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: { tag: string; when: number }[] };
  return journal.entries.map((e) => ({ tag: e.tag, when: e.when, sql: fs.readFileSync(path.join(folder, `${e.tag}.sql`), "utf8") }));
}
