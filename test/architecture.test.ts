import fs from "node:fs";
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * The layout the README's architecture section describes, checked: modules
 * that touch the database or secrets are server-only, no source file grows
 * past a page, and the lint rules that keep the boundaries actually fire.
 */
const ROOT = process.cwd();
const SOURCE_DIRS = ["app", "components", "lib", "db", "scripts", "bench", "e2e", "test"];

function files(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "migrations" ? [] : files(full);
    return /\.(ts|tsx|mjs)$/.test(entry.name) ? [full] : [];
  });
}
const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join("/");

describe("architecture", () => {
  it("marks every lib module that touches the database or secrets server-only", () => {
    const touches = /^import (?!type )[^;]*from "(@\/lib\/database|@\/lib\/env|@\/db\/schema|@\/db\/client)";/m;
    const missing = files(path.join(ROOT, "lib"))
      .filter((f) => !/\.test\.tsx?$/.test(f))
      .filter((f) => touches.test(fs.readFileSync(f, "utf8")) && !fs.readFileSync(f, "utf8").includes('import "server-only";'))
      .map(rel);
    expect(missing).toEqual([]);
  });

  it("keeps every source file under 400 lines", () => {
    const long = SOURCE_DIRS.flatMap((d) => files(path.join(ROOT, d)))
      .map((f) => ({ file: rel(f), lines: fs.readFileSync(f, "utf8").split("\n").length }))
      .filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });

  describe("lint enforces the boundaries", () => {
    // no-cycle follows imports on disk, so it is probed below with real files; these snippets are linted in memory.
    const eslint = new ESLint({ cwd: ROOT, overrideConfig: { rules: { "import/no-cycle": "off" } } });
    const violations = async (filePath: string, code: string) =>
      (await eslint.lintText(code, { filePath: path.join(ROOT, filePath) }))[0]!.messages.filter((m) => m.severity === 2).map((m) => m.ruleId);

    it.each([
      ["a page holding a database handle", "app/example/page.tsx", `import { getDb } from "@/lib/database";\nexport default async function P() { await getDb(); return null; }\n`, "no-restricted-imports"],
      ["a page checking a role by hand", "app/example/page.tsx", `import { userWithPermission } from "@/lib/auth";\nexport default async function P() { await userWithPermission("admin:read"); return null; }\n`, "no-restricted-imports"],
      ["a component importing the schema", "components/example.tsx", `import { users } from "@/db/schema";\nexport const x = users;\n`, "no-restricted-imports"],
      ["the kernel importing a capability", "lib/safety/example.ts", `import { logger } from "@/lib/observability";\nexport const x = logger;\n`, "no-restricted-imports"],
      ["a deep import across capabilities", "lib/billing/example.ts", `import { currentSnapshot } from "@/lib/flags/store";\nexport const x = currentSnapshot;\n`, "no-restricted-imports"],
      ["db/ importing lib/", "db/example.ts", `import { env } from "@/lib/env";\nexport const x = env;\n`, "no-restricted-imports"],
      ["process.env outside lib/env", "lib/billing/example.ts", `export const x = process.env.SECRET;\n`, "no-restricted-properties"],
    ])("refuses %s", async (_label, filePath, code, rule) => {
      expect(await violations(filePath, code)).toContain(rule);
    }, 60_000);

    it("refuses an import cycle between two files", async () => {
      const dir = path.join(ROOT, "lib", `cycle-probe-${crypto.randomUUID().slice(0, 8)}`);
      fs.mkdirSync(dir);
      try {
        fs.writeFileSync(path.join(dir, "a.ts"), `import { b } from "./b";\nexport const a = () => b();\n`);
        fs.writeFileSync(path.join(dir, "b.ts"), `import { a } from "./a";\nexport const b = () => a();\n`);
        const [result] = await new ESLint({ cwd: ROOT }).lintFiles([path.join(dir, "a.ts")]);
        expect(result!.messages.map((m) => m.ruleId)).toContain("import/no-cycle");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);

    it("accepts a page that reads through a query", async () => {
      const code = `import { listUsers } from "@/lib/auth/queries";\nimport { loadPage } from "@/lib/web";\nexport default async function P() { const rows = await loadPage(listUsers); return rows.length; }\n`;
      expect(await violations("app/example/page.tsx", code)).toEqual([]);
    }, 60_000);
  });
});
