import fs from "node:fs";
import path from "node:path";

/**
 * Runbook notes in the code. Every failure-relevant place carries a comment
 * an on-call engineer can act on without reading the code around it:
 *
 *   // INCIDENT: what an operator is looking at when this place is involved.
 *   // FAILURE MODE: what happens here when it goes wrong (what users see, what is left behind).
 *   // SAFE TO RETRY: yes or no, and why.
 *   // OPERATOR ACTION: runbook <slug> — what to do first.
 *
 * Required above every provider call (`callThroughBreaker`), every job
 * (`defineJob`), every kill-switch check (`checkKillSwitch`, a procedure's
 * `flag:`) and every breaker (lib/breakers/config.ts); allowed anywhere else
 * (a retry loop, a CLI call to an outside API). Consecutive sites share the
 * note above the first. The notes, by runbook, are committed in
 * lib/runbooks/code-notes.generated.ts (`npm run runbooks:notes` rewrites it;
 * a test fails when it is out of date).
 */
export type SiteKind = "provider call" | "job" | "kill-switch check" | "breaker";
export type Note = { incident: string; failureMode: string; safeToRetry: string; operatorAction: string; runbook: string | null };
export type Site = { file: string; line: number; kind: SiteKind; subject: string };
export type CodeNote = { runbook: string; file: string; kind: SiteKind | "note"; subject: string; incident: string };
export type Problem = { file: string; line: number; problem: string };

const FIELDS = [
  ["incident", "INCIDENT"],
  ["failureMode", "FAILURE MODE"],
  ["safeToRetry", "SAFE TO RETRY"],
  ["operatorAction", "OPERATOR ACTION"],
] as const;
const FIELD_START = /^(INCIDENT|FAILURE MODE|SAFE TO RETRY|OPERATOR ACTION):\s*(.*)$/;
const RUNBOOK_NAMED = /\brunbook\s+([a-z0-9][a-z0-9-]*)/;

const SITE_PATTERNS: { kind: SiteKind; pattern: RegExp; only?: RegExp }[] = [
  { kind: "provider call", pattern: /(?<!function )callThroughBreaker\(\s*["'`]?([\w$.]+)/ },
  { kind: "job", pattern: /\bdefineJob\(\s*"(\w+)"/ },
  { kind: "kill-switch check", pattern: /(?<!function )checkKillSwitch\(\s*["'`]?([\w$.]+)/ },
  { kind: "kill-switch check", pattern: /^\s*flag:\s*"(\w+)",?\s*$/ },
  { kind: "breaker", pattern: /^\s{2}(\w+):\s*\{\s*runbook:/, only: /^lib\/breakers\/config\.ts$/ },
];

function isComment(line: string): boolean {
  return /^\s*(\/\/|\/\*|\*)/.test(line);
}

function commentText(line: string): string {
  return line.replace(/^\s*(\/\/+|\/\*\*?|\*\/|\*)\s?/, "").replace(/\*\/\s*$/, "").trim();
}

/** The sites of one file (comment lines never are). */
export function sitesIn(file: string, source: string): Site[] {
  const sites: Site[] = [];
  source.split("\n").forEach((line, i) => {
    if (isComment(line)) return;
    for (const { kind, pattern, only } of SITE_PATTERNS) {
      if (only && !only.test(file)) continue;
      const match = pattern.exec(line);
      if (match) sites.push({ file, line: i + 1, kind, subject: match[1]! });
    }
  });
  return sites;
}

/** Parses the four fields from a block of comment lines; null when the block has no INCIDENT. */
export function parseNote(lines: string[]): Note | null {
  const fields: Record<string, string> = {};
  let current: string | null = null;
  for (const raw of lines) {
    const text = commentText(raw);
    const start = FIELD_START.exec(text);
    if (start) {
      current = start[1]!;
      fields[current] = start[2]!;
    } else if (current && text) {
      fields[current] += ` ${text}`;
    } else {
      current = null;
    }
  }
  if (!fields.INCIDENT) return null;
  const note = Object.fromEntries(FIELDS.map(([key, label]) => [key, (fields[label] ?? "").trim()])) as Omit<Note, "runbook">;
  return { ...note, runbook: RUNBOOK_NAMED.exec(note.operatorAction)?.[1] ?? null };
}

/** The note for the site at `line` (1-based): the comment block above it, or above the run of sites it belongs to. */
function noteAbove(lines: string[], line: number, siteLines: Set<number>): { note: Note | null; at: number } {
  let i = line - 2;
  while (i >= 0 && siteLines.has(i + 1) && !isComment(lines[i]!)) i--;
  const end = i;
  while (i >= 0 && isComment(lines[i]!)) i--;
  return { note: parseNote(lines.slice(i + 1, end + 1)), at: i + 2 };
}

/** Every note in a file, wherever it is: [line of its INCIDENT, note]. */
function notesIn(source: string): [number, Note][] {
  const lines = source.split("\n");
  const found: [number, Note][] = [];
  lines.forEach((line, i) => {
    if (!isComment(line) || !commentText(line).startsWith("INCIDENT:")) return;
    let end = i;
    while (end + 1 < lines.length && isComment(lines[end + 1]!)) end++;
    const note = parseNote(lines.slice(i, end + 1));
    if (note) found.push([i + 1, note]);
  });
  return found;
}

/** Checks one file: every site has a complete note, every note names a runbook that exists. */
export function checkFile(file: string, source: string, runbooks: ReadonlySet<string>): { problems: Problem[]; notes: CodeNote[] } {
  const lines = source.split("\n");
  const sites = sitesIn(file, source);
  const siteLines = new Set(sites.map((s) => s.line));
  const problems: Problem[] = [];
  const notes: CodeNote[] = [];
  const attached = new Set<number>();
  for (const site of sites) {
    const { note, at } = noteAbove(lines, site.line, siteLines);
    const where = `${site.kind} ${site.subject}`;
    if (!note) {
      problems.push({ file, line: site.line, problem: `${where} has no runbook note (INCIDENT / FAILURE MODE / SAFE TO RETRY / OPERATOR ACTION) above it` });
      continue;
    }
    attached.add(at);
    const missing = FIELDS.filter(([key]) => !note[key]).map(([, label]) => label);
    if (missing.length > 0) problems.push({ file, line: site.line, problem: `${where}: its note lacks ${missing.join(", ")}` });
    if (note.runbook) notes.push({ runbook: note.runbook, file, kind: site.kind, subject: site.subject, incident: note.incident });
  }
  for (const [line, note] of notesIn(source)) {
    if (!note.runbook) problems.push({ file, line, problem: 'the note\'s OPERATOR ACTION names no runbook ("runbook <slug>")' });
    else if (!runbooks.has(note.runbook)) problems.push({ file, line, problem: `the note names runbook "${note.runbook}", which does not exist in runbooks/` });
    const owned = [...attached].some((at) => at <= line && line - at < 12);
    if (!owned && note.runbook) notes.push({ runbook: note.runbook, file, kind: "note", subject: "", incident: note.incident });
  }
  return { problems, notes };
}

const ROOTS = ["lib", "app", "scripts", "db", "components", "instrumentation.ts", "proxy.ts"];

function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    const stat = fs.statSync(abs, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(abs).sort()) walk(path.posix.join(rel, entry));
    } else if (/\.(ts|tsx|mts)$/.test(rel) && !/\.(test|generated)\.ts$/.test(rel) && rel !== "scripts/lib/code-notes.ts") {
      files.push(rel);
    }
  };
  for (const r of ROOTS) walk(r);
  return files;
}

/** Scans the repository: every problem, and every note by runbook (sorted, line numbers left out so unrelated edits don't churn the index). */
export function scanRepository(root: string): { problems: Problem[]; notes: CodeNote[] } {
  const runbooks = new Set(fs.readdirSync(path.join(root, "runbooks")).filter((f) => f.endsWith(".md") && f !== "README.md").map((f) => f.replace(/\.md$/, "")));
  const problems: Problem[] = [];
  const notes: CodeNote[] = [];
  for (const file of sourceFiles(root)) {
    const result = checkFile(file, fs.readFileSync(path.join(root, file), "utf8"), runbooks);
    problems.push(...result.problems);
    notes.push(...result.notes.filter((n) => runbooks.has(n.runbook)));
  }
  const key = (n: CodeNote) => [n.runbook, n.file, n.kind, n.subject, n.incident].join("\u0000");
  notes.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { problems, notes };
}

/** The generated module's text. */
export function renderIndex(notes: CodeNote[]): string {
  const rows = notes.map((n) => `  ${JSON.stringify(n)},`).join("\n");
  return [
    "// Generated by `npm run runbooks:notes` from the runbook notes in the code (scripts/lib/code-notes.ts); do not edit.",
    "// A test fails when it is out of date. One entry per line, without line numbers, so unrelated edits leave it alone.",
    "",
    'type Kind = "provider call" | "job" | "kill-switch check" | "breaker" | "note";',
    "",
    "export const CODE_NOTES: readonly { runbook: string; file: string; kind: Kind; subject: string; incident: string }[] = [",
    rows,
    "];",
    "",
  ].join("\n");
}
