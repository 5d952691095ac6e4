import { describe, expect, it } from "vitest";
import { isStale, parseRunbook, parseRunbooks, RunbookError } from "./loader";
import { renderMarkdown, renderRunbook } from "./render";

const good = `---
title: Test runbook
owner: ops
severity: P2
last_reviewed: 2026-11-01
flags: [payments]
---
1. Do a thing
[[kill_switch:payments]]
2. Then another
`;

describe("runbook loader", () => {
  it("parses frontmatter and body", () => {
    const r = parseRunbook("runbooks/test-runbook.md", good);
    expect(r).toMatchObject({ slug: "test-runbook", title: "Test runbook", severity: "P2", kind: "runbook", flags: ["payments"], breakers: [] });
    expect(r.last_reviewed.toISOString()).toBe("2026-11-01T00:00:00.000Z");
  });

  it("rejects a file without frontmatter, with the file name in the message", () => {
    expect(() => parseRunbook("runbooks/x.md", "# Just a heading")).toThrow(/runbooks\/x\.md: missing frontmatter/);
  });

  it("rejects broken YAML clearly", () => {
    expect(() => parseRunbook("runbooks/x.md", "---\ntitle: [unclosed\n---\nbody")).toThrow(RunbookError);
    expect(() => parseRunbook("runbooks/x.md", "---\ntitle: [unclosed\n---\nbody")).toThrow(/not valid YAML/);
  });

  it("names the bad or missing field", () => {
    const noOwner = good.replace("owner: ops\n", "");
    expect(() => parseRunbook("runbooks/x.md", noOwner)).toThrow(/owner/);
    const badDate = good.replace("2026-11-01", "last tuesday");
    expect(() => parseRunbook("runbooks/x.md", badDate)).toThrow(/last_reviewed: use YYYY-MM-DD/);
    const badSeverity = good.replace("P2", "urgent");
    expect(() => parseRunbook("runbooks/x.md", badSeverity)).toThrow(/severity/);
    const badFlag = good.replace("[payments]", "[Payments Now]");
    expect(() => parseRunbook("runbooks/x.md", badFlag)).toThrow(/flags\.0/);
  });

  it("a set with one broken runbook fails to load, naming it", () => {
    const files = [
      { file: "runbooks/fine.md", text: good },
      { file: "runbooks/broken.md", text: "---\nowner: x\n---\n" },
    ];
    expect(() => parseRunbooks(files)).toThrow(/runbooks\/broken\.md: invalid frontmatter: title/);
  });

  it("marks a runbook stale after 90 days", () => {
    const r = parseRunbook("runbooks/x.md", good);
    expect(isStale(r, new Date("2027-01-29T00:00:00Z"))).toBe(false);
    expect(isStale(r, new Date("2027-02-01T00:00:00Z"))).toBe(true);
  });
});

describe("runbook rendering", () => {
  it("sanitises markdown: no scripts, no event handlers, no javascript: links", () => {
    const html = renderMarkdown('Hi <script>alert(1)</script><img src="x" onerror="alert(2)"> [x](javascript:alert(3)) <a href="https://ok.test">ok</a>');
    expect(html).not.toMatch(/<script|onerror|javascript:/);
    expect(html).toContain('href="https://ok.test"');
  });

  it("splits at live-state markers without cutting HTML", () => {
    const segments = renderRunbook(parseRunbook("runbooks/x.md", good).body);
    expect(segments.map((s) => s.type)).toEqual(["html", "control", "html"]);
    expect(segments[1]).toEqual({ type: "control", control: { kind: "kill_switch", name: "payments" } });
    expect((segments[2] as { html: string }).html).toContain('<ol start="2">');
  });
});
