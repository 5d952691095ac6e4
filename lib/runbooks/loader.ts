import fs from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

/**
 * Runbooks and support macros: markdown files in runbooks/ with a YAML
 * frontmatter naming what they concern. The sync test
 * (lib/runbooks/sync.test.ts) keeps those names true to the code.
 */
export const RUNBOOK_KINDS = ["runbook", "macro", "policy", "template", "postmortem"] as const;
export const STALE_AFTER_DAYS = 90;

const names = z.array(z.string().regex(/^[a-z][a-z0-9_]*$/, "use lowercase names like payments or job_renewals")).default([]);

export const frontmatterSchema = z.object({
  title: z.string().trim().min(1),
  owner: z.string().trim().min(1),
  severity: z.enum(["P0", "P1", "P2", "P3", "n/a"]),
  kind: z.enum(RUNBOOK_KINDS).default("runbook"),
  last_reviewed: z.union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD")]).transform((v) => (v instanceof Date ? v : new Date(`${v}T00:00:00Z`))),
  summary: z.string().trim().default(""),
  flags: names,
  breakers: names,
  jobs: names,
  slos: names,
});
export type Frontmatter = z.output<typeof frontmatterSchema>;

export type Runbook = Frontmatter & { slug: string; file: string; body: string };

export class RunbookError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = "RunbookError";
  }
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;
export const SLUG = /^[a-z0-9][a-z0-9-]*$/;

/** Parses one runbook; a broken frontmatter throws a RunbookError naming the file and the field. */
export function parseRunbook(file: string, text: string): Runbook {
  const slug = path.basename(file, ".md");
  if (!SLUG.test(slug)) throw new RunbookError(file, "file name must be lowercase words joined by hyphens");
  const match = FRONTMATTER.exec(text);
  if (!match) throw new RunbookError(file, "missing frontmatter: start the file with a --- block");
  let data: unknown;
  try {
    data = parseYaml(match[1]!, { prettyErrors: false });
  } catch (error) {
    throw new RunbookError(file, `frontmatter is not valid YAML (${error instanceof Error ? error.message.split("\n")[0] : "parse error"})`);
  }
  const parsed = frontmatterSchema.safeParse(data ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "frontmatter"}: ${i.message}`).join("; ");
    throw new RunbookError(file, `invalid frontmatter: ${issues}`);
  }
  if (Number.isNaN(parsed.data.last_reviewed.getTime())) throw new RunbookError(file, "invalid frontmatter: last_reviewed: not a real date");
  return { ...parsed.data, slug, file, body: match[2]!.trim() };
}

/** Parses a set of runbook files; throws on the first broken one so it cannot go unnoticed. Sorted by kind, then title. */
export function parseRunbooks(files: readonly { file: string; text: string }[]): Runbook[] {
  return files
    .map((f) => parseRunbook(f.file, f.text))
    .sort((a, b) => RUNBOOK_KINDS.indexOf(a.kind) - RUNBOOK_KINDS.indexOf(b.kind) || a.title.localeCompare(b.title));
}

// Paths are written out in full (cwd + "runbooks" + name) so the bundler traces only this folder.
export async function loadRunbooks(): Promise<Runbook[]> {
  const names = (await fs.readdir(path.join(process.cwd(), "runbooks"))).filter((f) => f.endsWith(".md") && f !== "README.md");
  const files = await Promise.all(names.map(async (f) => ({ file: `runbooks/${f}`, text: await fs.readFile(path.join(process.cwd(), "runbooks", f), "utf8") })));
  return parseRunbooks(files);
}

export async function loadRunbook(slug: string): Promise<Runbook | null> {
  if (!SLUG.test(slug)) return null;
  try {
    return parseRunbook(`runbooks/${slug}.md`, await fs.readFile(path.join(process.cwd(), "runbooks", `${slug}.md`), "utf8"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

export function isStale(runbook: Pick<Runbook, "last_reviewed">, now = new Date()): boolean {
  return now.getTime() - runbook.last_reviewed.getTime() > STALE_AFTER_DAYS * 24 * 60 * 60 * 1000;
}
