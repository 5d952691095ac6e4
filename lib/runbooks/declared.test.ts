import { beforeAll, describe, expect, it } from "vitest";
import { BREAKER_NAMES, BREAKERS } from "@/lib/breakers";
import { KILL_SWITCH_KEYS, KILL_SWITCHES } from "@/lib/flags";
import { JOB_DECLARATIONS, JOB_NAMES } from "@/lib/jobs";
import { SLOS } from "@/lib/status";
import { declaredRunbook, runbookFor } from "./declared";
import { loadRunbooks, type Runbook } from "./loader";

/** Breakers, kill switches and jobs link to the runbook they declare, never to whichever runbook happens to mention them first. */
let runbooks: Runbook[];

beforeAll(async () => {
  runbooks = await loadRunbooks();
});

const declared = () => [
  ...KILL_SWITCH_KEYS.map((key) => ({ kind: "flags" as const, name: key, slug: KILL_SWITCHES[key].runbook })),
  ...BREAKER_NAMES.map((name) => ({ kind: "breakers" as const, name, slug: BREAKERS[name].runbook })),
  ...JOB_NAMES.map((name) => ({ kind: "jobs" as const, name, slug: JOB_DECLARATIONS[name].runbook })),
];

describe("declared runbooks", () => {
  it("every runbook a kill switch, breaker, job or SLO declares has a file in runbooks/", () => {
    const slugs = new Set(runbooks.map((r) => r.slug));
    const all = [...declared(), ...SLOS.map((s) => ({ kind: "slos", name: s.id, slug: s.runbook }))];
    expect(all.filter((d) => !slugs.has(d.slug)).map((d) => `${d.kind} ${d.name} → ${d.slug}`)).toEqual([]);
  });

  it("the declared runbook is an operational runbook that names what links to it", () => {
    const wrong = declared().filter((d) => {
      const runbook = runbooks.find((r) => r.slug === d.slug);
      return runbook?.kind !== "runbook" || !runbook[d.kind].includes(d.name);
    });
    expect(wrong.map((d) => `${d.kind} ${d.name} → ${d.slug}`)).toEqual([]);
  });

  it("links follow the declaration, not the alphabetical first runbook that mentions the name", () => {
    // "Account deletion, purge and erasure replay" sorts first and names the payments breaker too.
    expect(runbookFor(runbooks, "breakers", "payments")?.slug).toBe("payment-provider-down");
    expect(runbookFor(runbooks, "flags", "exports")?.slug).toBe("rollback");
    expect(runbookFor(runbooks, "flags", "job_renewals")?.slug).toBe("charge-failures-dunning");
    expect(runbookFor(runbooks, "jobs", "uptime_check")?.slug).toBe("cron-backlog");
    expect(runbookFor(runbooks, "slos", SLOS[0]!.id)?.slug).toBe(SLOS[0]!.runbook);
  });

  it("names nothing declares get no link", () => {
    expect(declaredRunbook("flags", "mine_bitcoin")).toBeNull();
    expect(declaredRunbook("breakers", "toString")).toBeNull();
    expect(runbookFor(runbooks, "jobs", "no_such_job")).toBeNull();
  });
});
