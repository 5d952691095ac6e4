import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkFile, renderIndex, scanRepository, sitesIn } from "./code-notes";

const root = process.cwd();
const runbooks = new Set(["payment-provider-down", "cron-backlog"]);

const NOTE = [
  "// INCIDENT: the provider is down.",
  "// FAILURE MODE: the charge fails fast; nothing is charged.",
  "// SAFE TO RETRY: yes; idempotency key.",
  "// OPERATOR ACTION: runbook payment-provider-down.",
].join("\n");

describe("runbook notes in the code", () => {
  it("every provider call, job, kill-switch check and breaker in the repository has a complete note naming a runbook that exists", () => {
    const { problems } = scanRepository(root);
    expect(problems.map((p) => `${p.file}:${p.line} ${p.problem}`)).toEqual([]);
  });

  it("the index the runbook pages read is up to date (npm run runbooks:notes rewrites it)", () => {
    const committed = fs.readFileSync(path.join(root, "lib", "runbooks", "code-notes.generated.ts"), "utf8");
    expect(committed).toBe(renderIndex(scanRepository(root).notes));
  });

  it("finds each kind of site", () => {
    const source = [
      'const a = await callThroughBreaker("payments", () => charge());',
      'export const renewalsJob = defineJob("renewals", {',
      '  if (!(await checkKillSwitch("notifications"))) return;',
      '  flag: "payments",',
      "// callThroughBreaker(\"payments\") in a comment is not a call",
      "export async function callThroughBreaker(name: string) {}",
    ].join("\n");
    expect(sitesIn("lib/x.ts", source).map((s) => `${s.kind}:${s.subject}`)).toEqual(["provider call:payments", "job:renewals", "kill-switch check:notifications", "kill-switch check:payments"]);
    expect(sitesIn("lib/breakers/config.ts", '  payments: { runbook: "payment-provider-down" },').map((s) => s.kind)).toEqual(["breaker"]);
  });

  it("fails on a provider call, job or breaker without a note", () => {
    const bare = ["try {", '  await callThroughBreaker("payments", () => charge());', "} catch {}", 'export const j = defineJob("renewals", {});'].join("\n");
    expect(checkFile("lib/x.ts", bare, runbooks).problems.map((p) => p.problem)).toEqual([
      "provider call payments has no runbook note (INCIDENT / FAILURE MODE / SAFE TO RETRY / OPERATOR ACTION) above it",
      "job renewals has no runbook note (INCIDENT / FAILURE MODE / SAFE TO RETRY / OPERATOR ACTION) above it",
    ]);
    expect(checkFile("lib/breakers/config.ts", 'export const BREAKERS = {\n  email: { runbook: "email-provider-down" },\n};', runbooks).problems).toHaveLength(1);
  });

  it("accepts a complete note, including one shared by consecutive sites, and indexes it by runbook", () => {
    const source = [NOTE, '  if (!(await checkKillSwitch("background_jobs"))) return;', '  if (!(await checkKillSwitch(job.killSwitch))) return;'].join("\n");
    const { problems, notes } = checkFile("lib/jobs/runner.ts", source, runbooks);
    expect(problems).toEqual([]);
    expect(notes).toEqual([
      { runbook: "payment-provider-down", file: "lib/jobs/runner.ts", kind: "kill-switch check", subject: "background_jobs", incident: "the provider is down." },
      { runbook: "payment-provider-down", file: "lib/jobs/runner.ts", kind: "kill-switch check", subject: "job.killSwitch", incident: "the provider is down." },
    ]);
  });

  it("fails on a note that names a missing runbook, names none, or lacks a field", () => {
    const missing = NOTE.replace("payment-provider-down", "no-such-runbook") + '\nawait callThroughBreaker("payments", f);';
    expect(checkFile("lib/x.ts", missing, runbooks).problems.map((p) => p.problem)).toEqual(['the note names runbook "no-such-runbook", which does not exist in runbooks/']);
    const unnamed = NOTE.replace("runbook payment-provider-down", "call someone") + '\nawait callThroughBreaker("payments", f);';
    expect(checkFile("lib/x.ts", unnamed, runbooks).problems.map((p) => p.problem)).toEqual(['the note\'s OPERATOR ACTION names no runbook ("runbook <slug>")']);
    const incomplete = NOTE.split("\n").filter((l) => !l.includes("SAFE TO RETRY")).join("\n") + '\nawait callThroughBreaker("payments", f);';
    expect(checkFile("lib/x.ts", incomplete, runbooks).problems.map((p) => p.problem)).toEqual(["provider call payments: its note lacks SAFE TO RETRY"]);
  });

  it("checks free-standing notes too (a retry loop, a CLI call) and indexes them", () => {
    const { problems, notes } = checkFile("scripts/x.ts", `function f() {\n  ${NOTE.replaceAll("\n", "\n  ")}\n  return fetch(url);\n}`, runbooks);
    expect(problems).toEqual([]);
    expect(notes).toEqual([{ runbook: "payment-provider-down", file: "scripts/x.ts", kind: "note", subject: "", incident: "the provider is down." }]);
  });
});
