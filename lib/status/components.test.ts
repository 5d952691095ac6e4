import { describe, expect, it } from "vitest";
import { deriveComponents, DOWNTIME_WEIGHT, PARTIAL_OUTAGE_WEIGHT, uptimeOf, type Signals } from "./components";

const healthy: Signals = { databaseOk: true, killSwitches: {}, breakers: {}, missedJobs: [], maintenance: [], incidentImpact: {} };
const stateOf = (signals: Partial<Signals>, id: string) => deriveComponents({ ...healthy, ...signals }).find((c) => c.id === id)!.state;

describe("component states", () => {
  it("kill switch off → Paused, breaker open → Degraded, database failing → Major outage everywhere", () => {
    expect(deriveComponents(healthy).every((c) => c.state === "operational")).toBe(true);
    expect(stateOf({ killSwitches: { payments: false } }, "billing")).toBe("paused");
    expect(stateOf({ killSwitches: { payments: false } }, "web")).toBe("operational");
    expect(stateOf({ breakers: { payments: "open" } }, "billing")).toBe("degraded");
    expect(stateOf({ breakers: { payments: "half_open" } }, "billing")).toBe("operational");
    expect(stateOf({ breakers: { email: "open" } }, "notifications")).toBe("degraded");
    expect(stateOf({ killSwitches: { background_jobs: false } }, "jobs")).toBe("paused");
    expect(stateOf({ missedJobs: ["renewals"] }, "jobs")).toBe("degraded");
    expect(deriveComponents({ ...healthy, databaseOk: false, killSwitches: { payments: false } }).every((c) => c.state === "major_outage")).toBe(true);
  });

  it("the worst signal wins; maintenance only shows when nothing is wrong", () => {
    expect(stateOf({ killSwitches: { payments: false }, breakers: { payments: "open" } }, "billing")).toBe("degraded");
    expect(stateOf({ incidentImpact: { billing: "critical" }, killSwitches: { payments: false } }, "billing")).toBe("major_outage");
    expect(stateOf({ maintenance: ["api"] }, "api")).toBe("maintenance");
    expect(stateOf({ maintenance: ["billing"], breakers: { payments: "open" } }, "billing")).toBe("degraded");
  });
});

describe("one truth for uptime", () => {
  it("weights partial states once, as declared", () => {
    expect(DOWNTIME_WEIGHT.degraded).toBe(PARTIAL_OUTAGE_WEIGHT);
    expect(uptimeOf([])).toBeNull();
    expect(uptimeOf([{ state: "operational", minutes: 1440 }])).toBe(1);
    expect(uptimeOf([{ state: "operational", minutes: 1380 }, { state: "major_outage", minutes: 60 }])).toBeCloseTo(1 - 60 / 1440);
    expect(uptimeOf([{ state: "operational", minutes: 1380 }, { state: "degraded", minutes: 60 }])).toBeCloseTo(1 - (60 * PARTIAL_OUTAGE_WEIGHT) / 1440);
    expect(uptimeOf([{ state: "maintenance", minutes: 60 }])).toBe(1);
  });
});
