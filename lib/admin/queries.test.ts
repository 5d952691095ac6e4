import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alertDeliveries, incidents, statusChecks } from "@/db/schema";
import { raiseAlert, resolveAlert } from "@/lib/alerts";
import { getBreaker } from "@/lib/breakers";
import { getDb } from "@/lib/database";
import { contextFor, createTestUser } from "@/test/factories";
import { setKillSwitch } from "@/test/kill-switch";
import { adminNavigation, adminOverview } from "./queries";

const sections = [
  { href: "/admin", label: "Overview", description: "Counts", permission: "admin:read" },
  { href: "/admin/flags", label: "Flags", description: "Kill switches", permission: "admin:read" },
  { href: "/admin/danger", label: "Danger", description: "Admins only", permission: "admin:write" },
] as const;

describe("admin navigation", () => {
  it("shows nothing to a visitor or a plain user, and each staff member the sections their role opens", async () => {
    const [user, support, admin] = await Promise.all([createTestUser(), createTestUser({ role: "support" }), createTestUser({ role: "admin" })]);
    const visible = async (who: Parameters<typeof contextFor>[0]) => {
      const result = await adminNavigation.run({ sections }, contextFor(who));
      expect(result.ok).toBe(true);
      return result.ok ? result.data.map((s) => s.href) : [];
    };
    expect(await visible(null)).toEqual([]);
    expect(await visible(user)).toEqual([]);
    expect(await visible(support)).toEqual(["/admin", "/admin/flags"]);
    expect(await visible(admin)).toEqual(["/admin", "/admin/flags", "/admin/danger"]);
  });

  it("refuses a section list that points outside /admin", async () => {
    const admin = await createTestUser({ role: "admin" });
    const result = await adminNavigation.run({ sections: [{ href: "https://example.test", label: "Away", description: "", permission: "admin:read" }] }, contextFor(admin));
    expect(result.ok).toBe(false);
  });
});

describe("admin overview", () => {
  it("refuses a plain user and asks a visitor to sign in", async () => {
    const user = await createTestUser();
    expect(await adminOverview.run({ sections }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await adminOverview.run({ sections }, contextFor(null))).toMatchObject({ ok: false, code: "unauthenticated" });
  });

  it("gives staff the counts and the cards they may open", async () => {
    const support = await createTestUser({ role: "support" });
    const result = await adminOverview.run({ sections }, contextFor(support));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.users).toBeGreaterThanOrEqual(1);
    expect(result.data.liveProjects).toBeGreaterThanOrEqual(0);
    expect(result.data.problemReports).toBeGreaterThanOrEqual(0);
    expect(result.data.sections.map((s) => s.label)).toEqual(["Overview", "Flags"]);
  });
});

describe("what needs attention, at a glance", () => {
  const glanceFor = async (who: Parameters<typeof contextFor>[0]) => {
    const result = await adminOverview.run({ sections }, contextFor(who));
    if (!result.ok) throw new Error(result.message);
    return result.data.glance;
  };

  // Forces a breaker and records an outage: in the Postgres phase other suites share that state, so this runs on the unit phase's own database.
  it.skipIf(Boolean(process.env.DATABASE_URL))("says nobody is paged when no alert is open, and shows a forced-open breaker and a web outage burning its budget fast", async () => {
    const admin = await createTestUser({ role: "admin" });
    expect((await glanceFor(admin)).paged).toEqual([]);
    const db = await getDb();
    const now = Date.now();
    const minute = (ago: number) => new Date(Math.floor(now / 60_000) * 60_000 - ago * 60_000);
    await db.insert(statusChecks).values(Array.from({ length: 60 }, (_, i) => ({ minute: minute(i + 1), component: "web", state: "major_outage" })));
    await getBreaker("email").force("open", "glance test", null);
    try {
      const glance = await glanceFor(admin);
      expect(glance.open).toContainEqual({ name: "email", state: "Forced open" });
      expect(glance.burning).toContainEqual(expect.objectContaining({ id: "web_availability", sentence: expect.stringMatching(/^Burning fast: /) }));
    } finally {
      await getBreaker("email").force("reset", "glance test done", null);
      await db.delete(statusChecks).where(eq(statusChecks.component, "web"));
    }
    const calm = await glanceFor(admin);
    expect(calm.open?.map((b) => b.name)).not.toContain("email");
    expect(calm.burning?.map((s) => s.id)).not.toContain("web_availability");
  });

  it("shows support the switches that are off, open incidents, and each open alert with the channels it went to", async () => {
    const [support, admin] = await Promise.all([createTestUser({ role: "support" }), createTestUser({ role: "admin" })]);
    const db = await getDb();
    const tag = crypto.randomUUID().slice(0, 8);
    // A switch no other suite flips: in the Postgres phase suites share one database.
    expect((await setKillSwitch({ key: "job_uptime_probe", on: false, reason: "glance test", actor: admin })).ok).toBe(true);
    const { alert } = await raiseAlert(db, { dedupKey: `glance_test:${tag}`, source: "glance_test", severity: "page", title: `Glance test ${tag}` });
    await db.insert(alertDeliveries).values({ alertId: alert.id, destination: "slack", event: "trigger", status: "sent", sentAt: new Date() });
    const [incident] = await db.insert(incidents).values({ title: `Glance incident ${tag}`, status: "investigating", impact: "minor" }).returning();
    try {
      const glance = await glanceFor(support);
      expect(glance.off).toContainEqual(expect.objectContaining({ key: "job_uptime_probe" }));
      expect(glance.incidents).toContainEqual(expect.objectContaining({ title: `Glance incident ${tag}`, statusLabel: "Investigating" }));
      expect(glance.paged).toContainEqual(expect.objectContaining({ title: `Glance test ${tag}`, channels: [{ destination: "Slack", status: "sent" }] }));
    } finally {
      await setKillSwitch({ key: "job_uptime_probe", on: true, reason: "glance test done", actor: admin });
      await resolveAlert(db, `glance_test:${tag}`);
      await db.update(incidents).set({ status: "resolved", resolvedAt: new Date() }).where(eq(incidents.id, incident!.id));
    }
    const after = await glanceFor(support);
    expect(after.off?.map((s) => s.key)).not.toContain("job_uptime_probe");
    expect(after.incidents?.map((i) => i.title)).not.toContain(`Glance incident ${tag}`);
    expect(after.paged?.map((a) => a.title)).not.toContain(`Glance test ${tag}`);
  });
});
