import { describe, expect, it } from "vitest";
import { renderedPerSnapshot } from "./http";
import type { StatusSnapshot } from "./snapshot";

const snapshot = (etag: string) => ({ etag, status: { generatedAt: new Date().toISOString() } }) as unknown as StatusSnapshot;

describe("renderedPerSnapshot", () => {
  it("renders a snapshot once however many requests ask, and again for the next snapshot", () => {
    let renders = 0;
    const body = renderedPerSnapshot((s) => `${s.etag}#${++renders}`);
    const first = snapshot('W/"a"');
    expect([body(first), body(first), body(first)]).toEqual(['W/"a"#1', 'W/"a"#1', 'W/"a"#1']);
    const second = snapshot('W/"a"');
    expect(body(second)).toBe('W/"a"#2');
    expect(renders).toBe(2);
  });
});
