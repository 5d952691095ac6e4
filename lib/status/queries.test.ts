import { describe, expect, it } from "vitest";
import { incidents } from "@/db/schema";
import { getDb } from "@/lib/database";
import { contextFor, createTestUser } from "@/test/factories";
import { createIncident } from "./actions";
import { resetStatusSnapshotForTests } from "./snapshot";
import { incidentsOverview, livenessProbe, publicStatus, readinessOverview, readinessProbe, sloOverview } from "./queries";

describe("admin status queries", () => {
  it("refuse a plain user", async () => {
    const user = await createTestUser();
    for (const query of [incidentsOverview, sloOverview, readinessOverview]) {
      expect(await query.run({}, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    }
  });

  it("incidents: drafts apart from posted ones, labelled components, updatable only by admins and only while open", async () => {
    const admin = await createTestUser({ role: "admin" });
    const title = `Queries test ${crypto.randomUUID().slice(0, 8)}`;
    expect((await createIncident.run({ title, message: "Looking into it.", components: "api,billing" }, contextFor(admin))).ok).toBe(true);
    await (await getDb()).insert(incidents).values({ title: `${title} draft`, status: "draft", impact: "major", components: ["billing"] });

    const byAdmin = await incidentsOverview.run({}, contextFor(admin));
    expect(byAdmin.ok).toBe(true);
    if (!byAdmin.ok) return;
    expect(byAdmin.data.canEdit).toBe(true);
    expect(byAdmin.data.incidents.find((i) => i.title === title)).toMatchObject({ status: "investigating", canUpdate: true, updates: [expect.objectContaining({ body: "Looking into it." })] });
    expect(byAdmin.data.drafts.find((i) => i.title === `${title} draft`)).toMatchObject({ affects: "Billing", canUpdate: true });
    expect(byAdmin.data.incidents.some((i) => i.status === "draft")).toBe(false);
    expect(byAdmin.data.choices.components).toContainEqual({ id: "billing", label: "Billing" });

    const bySupport = await incidentsOverview.run({}, contextFor(await createTestUser({ role: "support" })));
    expect(bySupport.ok).toBe(true);
    if (!bySupport.ok) return;
    expect(bySupport.data.canEdit).toBe(false);
    expect(bySupport.data.incidents.every((i) => !i.canUpdate)).toBe(true);
  });

  it("SLOs and readiness: reports, alerts and attestations for staff; only admins sign off", async () => {
    const support = await createTestUser({ role: "support" });
    const slo = await sloOverview.run({}, contextFor(support));
    expect(slo.ok).toBe(true);
    if (!slo.ok) return;
    expect(slo.data.reports.length).toBeGreaterThan(0);
    expect(slo.data.reports[0]).toMatchObject({ slo: expect.objectContaining({ id: expect.any(String) }), budget: expect.any(Object), alerts: expect.any(Array) });
    expect(Array.isArray(slo.data.alerts)).toBe(true);

    const readiness = await readinessOverview.run({}, contextFor(support));
    expect(readiness.ok).toBe(true);
    if (!readiness.ok) return;
    expect(readiness.data.canSign).toBe(false);
    expect(readiness.data.summary.line).toContain(`of ${readiness.data.attestations.length} signed off`);
    const byAdmin = await readinessOverview.run({}, contextFor(await createTestUser({ role: "admin" })));
    expect(byAdmin.ok && byAdmin.data.canSign).toBe(true);
  });
});

describe("public status queries", () => {
  it("the status page, JSON and feed data are for anyone", async () => {
    resetStatusSnapshotForTests();
    const status = await publicStatus.run({}, contextFor(null));
    expect(status.ok).toBe(true);
    if (!status.ok) return;
    expect(status.data.status).toMatchObject({ staleSince: null, overall: expect.any(String) });
    expect(status.data.status.components.map((c) => c.id)).toContain("billing");
    expect(status.data.etag).toMatch(/^W\/".+"$/);
  });

  it("readiness reports each component for an anonymous probe", async () => {
    const readiness = await readinessProbe.run({}, contextFor(null));
    expect(readiness).toMatchObject({ ok: true, data: { status: "ready", checks: expect.arrayContaining([expect.objectContaining({ name: "database", status: "ok" })]) } });
  });

  it("liveness answers without a database handle", async () => {
    expect(livenessProbe.definition.usesDatabase).toBe(false);
    const live = await livenessProbe.run({}, contextFor(null));
    expect(live).toMatchObject({ ok: true, data: { status: "ok", version: expect.any(String), time: expect.any(String) } });
  });
});
