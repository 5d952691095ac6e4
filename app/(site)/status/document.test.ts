import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PublicStatus } from "@/lib/status";
import { renderStatusDocument, STATUS_DOCUMENT_POLICY } from "./document";

const day = (d: string, worst: PublicStatus["components"][number]["days"][number]["worst"]): PublicStatus["components"][number]["days"][number] => ({ day: d, uptime: worst ? 1 : null, worst, unknownMinutes: worst ? 0 : 1440 });

const status: PublicStatus = {
  generatedAt: "2026-12-03T09:30:00.000Z",
  staleSince: null,
  overall: "degraded",
  components: [
    { id: "web", label: "Web app", state: "operational", reasons: [], uptime: 0.9998, unknownMinutes: 1440, days: [day("2026-12-02", null), day("2026-12-03", "operational")] },
    { id: "billing", label: "Billing", state: "degraded", reasons: ["breaker open"], uptime: 0.99, unknownMinutes: 0, days: [day("2026-12-03", "degraded")] },
  ],
  incidents: [
    {
      id: "3f1c2a6e-0000-4000-8000-000000000001",
      title: `Checkout <img src=x onerror="alert(1)"> slow`,
      status: "investigating",
      impact: "minor",
      components: ["billing"],
      createdAt: "2026-12-03T09:00:00.000Z",
      resolvedAt: null,
      updatedAt: "2026-12-03T09:05:00.000Z",
      updates: [{ status: "investigating", body: "Line one\n<script>alert(2)</script>", createdAt: "2026-12-03T09:05:00.000Z" }],
    },
  ] as PublicStatus["incidents"],
  maintenance: [],
  outside: null,
  readOnlyMaintenance: { since: "2026-12-03T09:10:00.000Z" },
};

describe("the status document", () => {
  const html = renderStatusDocument(status, "abc1234");

  it("is a whole document that runs nothing: no script element, no event handler attribute", () => {
    expect(html.startsWith("<!DOCTYPE html><html lang=\"en\">")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<[^>]+\son\w+=/i);
    expect(STATUS_DOCUMENT_POLICY).toContain("default-src 'none'");
    expect(STATUS_DOCUMENT_POLICY).not.toMatch(/script-src|unsafe/);
  });

  it("carries the one stylesheet its policy allows, by the hash of what it sends", () => {
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    const hash = createHash("sha256").update(styles[0]!).digest("base64");
    expect(STATUS_DOCUMENT_POLICY).toContain(`style-src 'sha256-${hash}'`);
    expect(html).not.toMatch(/\sstyle="/);
  });

  it("shows what people post as text, never as markup", () => {
    expect(html).toContain("Checkout &lt;img src=x onerror=&quot;alert(1)&quot;&gt; slow");
    expect(html).toContain("&lt;script&gt;alert(2)&lt;/script&gt;");
  });

  it("says the state of each component, the incident, the maintenance notice and where to report a problem", () => {
    expect(html).toContain('aria-label="Billing: Degraded"');
    expect(html).toContain('aria-label="Web app: Operational"');
    expect(html).toContain("Some systems are affected");
    expect(html).toContain('id="incident-3f1c2a6e-0000-4000-8000-000000000001"');
    expect(html).toContain('data-testid="read-only-maintenance"');
    expect(html).toContain('<a href="/report?from=%2Fstatus">Report a problem</a>');
    expect(html).toContain("Version abc1234");
    // A day nobody measured is drawn as unknown, not as up.
    expect(html).toContain('title="2026-12-02: not measured, 1440 min unknown (not measured)" class="d-unknown"');
  });
});
