import { describe, expect, it } from "vitest";
import { getDb } from "@/lib/database";
import { listOpenAlerts, raiseAlert, reconcileAlerts, resolveAlert } from "./index";

const key = () => `test:${crypto.randomUUID()}`;

describe("alerts", () => {
  it("keeps one open alert per condition: raising again repeats it, resolving closes it, the next raise is new", async () => {
    const db = await getDb();
    const dedupKey = key();
    const first = await raiseAlert(db, { dedupKey, source: "test", severity: "ticket", title: "Something is slow" });
    const again = await raiseAlert(db, { dedupKey, source: "test", severity: "page", title: "Something is slow" });
    expect(first.change).toBe("raised");
    expect(again).toMatchObject({ change: "repeated", alert: { id: first.alert.id, occurrences: 2, severity: "page" } });
    // Severity never falls while the condition lasts.
    expect((await raiseAlert(db, { dedupKey, source: "test", severity: "info", title: "x" })).alert.severity).toBe("page");
    expect(await resolveAlert(db, dedupKey)).toMatchObject({ change: "resolved", alert: { status: "resolved" } });
    expect(await resolveAlert(db, dedupKey)).toBeNull();
    const reopened = await raiseAlert(db, { dedupKey, source: "test", severity: "ticket", title: "Slow again" });
    expect(reopened.change).toBe("raised");
    expect(reopened.alert.id).not.toBe(first.alert.id);
  });

  it("reconciles a source: current conditions stay open, the rest of that source resolve, other sources are untouched", async () => {
    const db = await getDb();
    const source = `src-${crypto.randomUUID().slice(0, 8)}`;
    const [a, b, other] = [key(), key(), key()];
    await raiseAlert(db, { dedupKey: other, source: "elsewhere", severity: "info", title: "other" });
    await reconcileAlerts(db, source, [
      { dedupKey: a, source, severity: "ticket", title: "a" },
      { dedupKey: b, source, severity: "ticket", title: "b" },
    ]);
    const changes = await reconcileAlerts(db, source, [{ dedupKey: a, source, severity: "ticket", title: "a" }]);
    expect(changes.map((c) => [c.alert.dedupKey, c.change])).toEqual([
      [a, "repeated"],
      [b, "resolved"],
    ]);
    expect((await listOpenAlerts(db, [source])).map((x) => x.dedupKey)).toEqual([a]);
    expect((await listOpenAlerts(db, ["elsewhere"])).map((x) => x.dedupKey)).toContain(other);
  });
});

describe("alerts under concurrent checks", () => {
  // Readiness notices in the background while the uptime check reconciles the same
  // source; on Postgres the two resolve overlapping sets of rows at the same time.
  it("two checks reconciling one source at once both finish, and the last truth wins", async () => {
    const db = await getDb();
    const source = `race-${crypto.randomUUID().slice(0, 8)}`;
    const keys = Array.from({ length: 24 }, key);
    const input = (k: string) => ({ dedupKey: k, source, severity: "ticket" as const, title: k });
    for (let round = 0; round < 4; round++) {
      await reconcileAlerts(db, source, keys.map(input));
      const halves = [keys.filter((_, i) => i % 2 === 0), keys.filter((_, i) => i % 2 === 1), keys.slice(0, 12), keys.slice(12), []];
      const results = await Promise.allSettled(halves.map((h) => reconcileAlerts(db, source, h.map(input))));
      expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    }
    await reconcileAlerts(db, source, []);
    expect(await listOpenAlerts(db, [source])).toEqual([]);
  });
});
