import { describe, expect, it } from "vitest";
import { contextFor, createTestUser } from "@/test/factories";
import { runbookIndex, runbookTitle, showRunbook } from "./queries";

describe("runbook queries", () => {
  it("refuse a plain user", async () => {
    const user = await createTestUser();
    expect(await runbookIndex.run({}, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await showRunbook.run({ slug: "payment-provider-down" }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runbookTitle.run({ slug: "payment-provider-down" }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("list every runbook for staff, with its review state", async () => {
    const result = await runbookIndex.run({}, contextFor(await createTestUser({ role: "support" })));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.staleAfterDays).toBeGreaterThan(0);
    expect(result.data.runbooks.find((r) => r.slug === "payment-provider-down")).toMatchObject({ kind: "runbook", title: "Payment provider down", stale: expect.any(Boolean), lastReviewed: expect.any(Date) });
  });

  it("show one with the live state of each control it names; only admins act", async () => {
    const bySupport = await showRunbook.run({ slug: "payment-provider-down" }, contextFor(await createTestUser({ role: "support" })));
    expect(bySupport.ok).toBe(true);
    if (!bySupport.ok) return;
    expect(bySupport.data.canAct).toBe(false);
    expect(bySupport.data.concerns).toContainEqual({ label: "breaker payments", href: "/admin/breakers" });
    const controls = bySupport.data.segments.flatMap((s) => (s.type === "control" ? [s.control] : []));
    // Other test files may flip the switch or force the breaker on a shared database: assert the shape, not the state.
    expect(controls).toContainEqual({ kind: "kill_switch", name: "payments", on: expect.any(Boolean) });
    expect(controls).toContainEqual({ kind: "breaker", name: "payments", breaker: { state: expect.any(String), forced: expect.toBeOneOf([null, "open", "closed"]) } });
    expect(controls).toContainEqual(expect.objectContaining({ kind: "job", name: "renewals", status: expect.any(String) }));
    const byAdmin = await showRunbook.run({ slug: "payment-provider-down" }, contextFor(await createTestUser({ role: "admin" })));
    expect(byAdmin.ok && byAdmin.data.canAct).toBe(true);
  });

  it("list the code places whose runbook notes point to the page", async () => {
    const shown = await showRunbook.run({ slug: "payment-provider-down" }, contextFor(await createTestUser({ role: "support" })));
    expect(shown.ok).toBe(true);
    if (!shown.ok) return;
    expect(shown.data.codePlaces).toContainEqual(expect.objectContaining({ file: "lib/breakers/config.ts", kind: "breaker", what: "breaker payments", incident: expect.stringContaining("payments breaker is open") }));
    expect(shown.data.codePlaces).toContainEqual(expect.objectContaining({ file: "lib/billing/payments.ts", what: "provider call payments" }));
    expect(shown.data.codePlaces.every((p) => p.runbook === "payment-provider-down")).toBe(true);
  });

  it("answer not found for a missing or malformed slug", async () => {
    const admin = await createTestUser({ role: "admin" });
    expect(await showRunbook.run({ slug: "no-such-runbook" }, contextFor(admin))).toMatchObject({ ok: false, code: "not_found" });
    expect(await runbookTitle.run({ slug: "no-such-runbook" }, contextFor(admin))).toMatchObject({ ok: false, code: "not_found" });
    expect(await showRunbook.run({ slug: "../secrets" }, contextFor(admin))).toMatchObject({ ok: false, code: "invalid_input" });
    expect(await runbookTitle.run({ slug: "payment-provider-down" }, contextFor(admin))).toEqual({ ok: true, data: "Payment provider down" });
  });
});
