import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/lib/database";
import { incidents, incidentUpdates } from "@/db/schema";
import { getBreaker } from "@/lib/breakers";
import { setKillSwitch } from "@/test/kill-switch";
import { contextFor, createTestUser } from "@/test/factories";
import { createIncident } from "./actions";
import { STATUS_CACHE_CONTROL, etagMatches, statusResponse } from "./http";
import { publicStatus } from "./queries";
import { currentStatusSnapshot, resetStatusSnapshotForTests, statusEtag, type StatusSnapshot } from "./snapshot";

beforeAll(async () => {
  await getDb();
});

// The clock stands still unless a test moves it: whatever a snapshot shows then came from a change, not from its age.
let now = Date.now();
beforeAll(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(now);
});
afterAll(() => {
  vi.useRealTimers();
});
afterEach(() => {
  now += 60_000;
  vi.setSystemTime(now);
});

/** The next snapshot once any background refresh has landed. */
async function settled(): Promise<StatusSnapshot> {
  await currentStatusSnapshot();
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (let i = 0; i < 50; i++) {
    const a = await currentStatusSnapshot();
    await new Promise((resolve) => setTimeout(resolve, 20));
    if ((await currentStatusSnapshot()) === a) return a;
  }
  throw new Error("snapshot never settled");
}

// What makes a snapshot recompute (kill switches, breakers, incidents) is shared state that other suites change at the
// same moment in the Postgres phase, so these run on the unit phase's database of their own. On Postgres the snapshot
// serves e2e/status.spec.ts, and bench/kill.bench.ts times a flip on one instance reaching /status on another.
describe.skipIf(Boolean(process.env.DATABASE_URL))("the status snapshot", () => {
  it("is shared: requests without a change get the very same snapshot", async () => {
    resetStatusSnapshotForTests();
    const [a, b] = await Promise.all([currentStatusSnapshot(), currentStatusSnapshot()]);
    expect(a).toBe(b);
    expect(await currentStatusSnapshot()).toBe(a);
    const viaQuery = await publicStatus.run({}, contextFor(null));
    expect(viaQuery).toMatchObject({ ok: true, data: a });
  });

  it("is recomputed at once when an incident is posted here, and otherwise only once it is a second old", async () => {
    const admin = await createTestUser({ role: "admin" });
    const before = await settled();

    // Written straight to the database, as another instance would: this instance's snapshot keeps serving until it ages.
    const db = await getDb();
    const elsewhere = `Posted elsewhere ${crypto.randomUUID().slice(0, 8)}`;
    const [row] = await db.insert(incidents).values({ title: elsewhere, status: "investigating", impact: "minor", components: ["api"], publishedAt: new Date() }).returning();
    await db.insert(incidentUpdates).values({ incidentId: row!.id, status: "investigating", body: "Looking." });
    expect(await currentStatusSnapshot()).toBe(before);

    // Posted through this instance: the next request already shows it.
    const title = `Posted here ${crypto.randomUUID().slice(0, 8)}`;
    expect((await createIncident.run({ title, message: "Investigating.", components: ["billing"], impact: "major" }, contextFor(admin))).ok).toBe(true);
    const after = await currentStatusSnapshot();
    expect(after).not.toBe(before);
    expect(after.status.incidents.map((i) => i.title)).toContain(title);
    expect(after.etag).not.toBe(before.etag);

    // A second later the snapshot is refreshed in the background and the other instance's incident shows too.
    vi.setSystemTime((now += 1_100));
    expect((await settled()).status.incidents.map((i) => i.title)).toContain(elsewhere);
  });

  it("is recomputed at once when a kill switch flips or a breaker changes state", async () => {
    const admin = await createTestUser({ role: "admin" });
    const notifications = (s: StatusSnapshot) => s.status.components.find((c) => c.id === "notifications")!;
    const before = await settled();
    try {
      expect((await setKillSwitch({ key: "notifications", on: false, reason: "snapshot test", actor: admin })).ok).toBe(true);
      const paused = await currentStatusSnapshot();
      expect(paused).not.toBe(before);
      expect(notifications(paused).state).toBe("paused");
    } finally {
      await setKillSwitch({ key: "notifications", on: true, reason: "snapshot test done", actor: admin });
    }
    expect(notifications(await currentStatusSnapshot()).state).toBe("operational");
    try {
      await getBreaker("email").force("open", "snapshot test", admin.id);
      const degraded = await currentStatusSnapshot();
      expect(notifications(degraded).state).toBe("degraded");
      expect(notifications(degraded).reasons).toContain("Email provider unavailable");
    } finally {
      await getBreaker("email").force("reset", "snapshot test done", admin.id);
    }
    expect(notifications(await currentStatusSnapshot()).state).toBe("operational");
  });
});

describe("caching headers of the public status routes", () => {
  const snapshot = async () => settled();

  it("the ETag names the content, not the moment it was computed", async () => {
    const { status } = await snapshot();
    expect(statusEtag({ ...status, generatedAt: "2000-01-01T00:00:00.000Z" })).toBe(statusEtag(status));
    expect(statusEtag({ ...status, overall: status.overall === "operational" ? "degraded" : "operational" })).not.toBe(statusEtag(status));
    expect(statusEtag(status)).toMatch(/^W\/".+"$/);
  });

  it("a full answer carries the ETag and CDN caching; If-None-Match with it gets a bodiless 304", async () => {
    const snap = await snapshot();
    const first = statusResponse(new Request("https://example.test/api/status"), snap, "", "application/json", () => JSON.stringify(snap.status));
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/json");
    expect(first.headers.get("etag")).toBe(snap.etag);
    const cacheControl = first.headers.get("cache-control")!;
    expect(cacheControl).toBe(STATUS_CACHE_CONTROL);
    expect(cacheControl).toMatch(/\bpublic\b/);
    expect(cacheControl).toMatch(/\bs-maxage=1\b/);
    expect(cacheControl).toMatch(/\bstale-while-revalidate=\d+/);
    expect(JSON.parse(await first.text())).toEqual(snap.status);

    let rendered = 0;
    const render = () => {
      rendered++;
      return "{}";
    };
    const revalidation = statusResponse(new Request("https://example.test/api/status", { headers: { "if-none-match": snap.etag } }), snap, "", "application/json", render);
    expect(revalidation.status).toBe(304);
    expect(await revalidation.text()).toBe("");
    expect(revalidation.headers.get("etag")).toBe(snap.etag);
    expect(revalidation.headers.get("cache-control")).toBe(STATUS_CACHE_CONTROL);
    expect(rendered).toBe(0);

    const changed = statusResponse(new Request("https://example.test/api/status", { headers: { "if-none-match": 'W/"something-else"' } }), snap, "", "application/json", render);
    expect(changed.status).toBe(200);
    expect(rendered).toBe(1);
  });

  it("the feed has its own ETag for the same snapshot, and revalidates the same way", async () => {
    const snap = await snapshot();
    const feed = statusResponse(new Request("https://example.test/api/status/feed"), snap, "feed", "application/atom+xml; charset=utf-8", () => "<feed/>");
    const feedEtag = feed.headers.get("etag")!;
    expect(feedEtag).not.toBe(snap.etag);
    expect(feedEtag).toMatch(/^W\/".+-feed"$/);
    const again = statusResponse(new Request("https://example.test/api/status/feed", { headers: { "if-none-match": feedEtag } }), snap, "feed", "application/atom+xml", () => "<feed/>");
    expect(again.status).toBe(304);
  });

  it("If-None-Match compares weakly, accepts lists and *", () => {
    expect(etagMatches('"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('W/"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches("*", 'W/"abc"')).toBe(true);
    expect(etagMatches('W/"abd"', 'W/"abc"')).toBe(false);
    expect(etagMatches(null, 'W/"abc"')).toBe(false);
  });
});
