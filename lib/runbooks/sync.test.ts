import { beforeAll, describe, expect, it } from "vitest";
import { COMPONENTS } from "@/lib/status/components";
import { CONDITIONS } from "@/lib/status/monitor";
import { ATTESTATIONS } from "@/lib/status/readiness";
import { SLO_IDS, SLOS } from "@/lib/status/slos";
import { jobNames } from "@/lib/status/live";
import { breakerNames, killSwitchNames } from "@/lib/status/sources";
import { loadRunbooks, type Runbook } from "./loader";
import { markersIn } from "./render";

/**
 * Runbooks stay in sync with the code: every name a runbook mentions exists,
 * and every kill switch, breaker and job has a runbook. The lists come from
 * the code at test time, plus the names the product committed to, so a
 * capability still being built does not make this test lie either way.
 */
const AGREED = {
  killSwitches: ["payments", "notifications", "signups", "exports", "background_jobs", "admin_destructive", "report_problem"],
  breakers: ["payments", "email"],
  jobs: ["renewals", "notification_delivery", "trash_purge", "deletion_purge", "audit_retention", "uptime_check"],
};

let runbooks: Runbook[];
let known: { flags: Set<string>; breakers: Set<string>; jobs: Set<string>; slos: Set<string> };
let mustCover: { flags: string[]; breakers: string[]; jobs: string[] };

beforeAll(async () => {
  runbooks = await loadRunbooks();
  const codeJobs = jobNames();
  const codeBreakers = breakerNames();
  const jobs = [...new Set([...AGREED.jobs, ...codeJobs])];
  const killSwitches = [...new Set([...AGREED.killSwitches, ...killSwitchNames(), ...jobs.map((j) => `job_${j}`)])];
  const breakerList = [...new Set([...AGREED.breakers, ...codeBreakers])];
  known = { flags: new Set(killSwitches), breakers: new Set(breakerList), jobs: new Set(jobs), slos: new Set(SLO_IDS) };
  mustCover = { flags: killSwitches, breakers: breakerList, jobs };
});

describe("runbooks stay in sync with the code", () => {
  it("loads every runbook with a valid frontmatter", () => {
    expect(runbooks.length).toBeGreaterThanOrEqual(20);
    expect(runbooks.filter((r) => r.kind === "macro").length).toBeGreaterThanOrEqual(10);
  });

  it("every flag, breaker, job and SLO a runbook names exists", () => {
    const unknown: string[] = [];
    for (const r of runbooks) {
      for (const kind of ["flags", "breakers", "jobs", "slos"] as const) {
        for (const name of r[kind]) if (!known[kind].has(name)) unknown.push(`${r.file}: ${kind} "${name}"`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it("every live-state marker names something listed in the runbook's frontmatter", () => {
    const bad: string[] = [];
    const list = { kill_switch: "flags", breaker: "breakers", job: "jobs" } as const;
    for (const r of runbooks) for (const m of markersIn(r.body)) if (!r[list[m.kind]].includes(m.name)) bad.push(`${r.file}: [[${m.kind}:${m.name}]]`);
    expect(bad).toEqual([]);
  });

  it("every link to another runbook resolves", () => {
    const slugs = new Set(runbooks.map((r) => r.slug));
    const broken: string[] = [];
    for (const r of runbooks) for (const m of r.body.matchAll(/\/admin\/runbooks\/([a-z0-9-]+)/g)) if (!slugs.has(m[1]!)) broken.push(`${r.file} → ${m[1]}`);
    expect(broken).toEqual([]);
  });

  it("every runbook the code points at exists", () => {
    const slugs = new Set(runbooks.map((r) => r.slug));
    const referenced = [
      ...Object.values(COMPONENTS).map((c) => c.runbook),
      ...SLOS.map((s) => s.runbook),
      ...ATTESTATIONS.map((a) => a.runbook),
      ...ATTESTATIONS.flatMap((a) => (a.evidence.startsWith("/admin/runbooks/") ? [a.evidence.slice("/admin/runbooks/".length)] : [])),
      ...Object.values(CONDITIONS).map((c) => c.runbook),
    ];
    expect(referenced.filter((slug) => !slugs.has(slug))).toEqual([]);
  });

  it("every kill switch, breaker and job has a runbook", () => {
    const missing: string[] = [];
    for (const kind of ["flags", "breakers", "jobs"] as const) {
      for (const name of mustCover[kind]) if (!runbooks.some((r) => r.kind !== "macro" && r[kind].includes(name))) missing.push(`${kind}: ${name}`);
    }
    expect(missing).toEqual([]);
  });

  it("the required runbooks and support macros are all there", () => {
    const slugs = runbooks.map((r) => r.slug);
    for (const slug of [
      "payment-provider-down",
      "email-provider-down",
      "cron-backlog",
      "billing-reconciliation",
      "charge-failures-dunning",
      "database-backup-restore",
      "rollback",
      "incident-response",
      "on-call",
      "error-budget-policy",
      "postmortem-template",
      "postmortem-practice-2026-11",
      "macro-double-charge",
      "macro-non-renewal",
      "macro-refund",
      "macro-cannot-sign-in",
      "macro-export-request",
      "macro-deletion-request",
      "macro-deactivated-account",
      "macro-report-follow-up",
      "macro-rate-limited",
      "macro-why-support-viewed",
    ]) {
      expect(slugs).toContain(slug);
    }
  });
});
