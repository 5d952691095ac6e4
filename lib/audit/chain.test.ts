import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { env } from "@/lib/env";
import { canonicalJson, eventHash, eventHasher, type ChainedContent, type EventContent } from "./chain";

/**
 * The event hash's message, spelt out as every stored event was hashed: a
 * change of spelling would make every existing chain fail verification.
 */
function specifiedHash(e: ChainedContent): string {
  const key = createHmac("sha256", env.auditChainKey).update("breakwater-audit:event").digest();
  const position = e.lane === 0 ? [e.category] : [e.category, e.lane];
  const message = JSON.stringify([
    e.chainId,
    ...position,
    e.seq,
    e.occurredAt.getTime(),
    e.actorType,
    e.actorId,
    e.impersonatorId,
    e.action,
    e.targetType,
    e.targetId,
    e.outcome,
    canonicalJson(e.metadata),
    e.requestId,
    e.personalDigest,
    e.prevHash,
  ]);
  return createHmac("sha256", key).update(message).digest("hex");
}

const content: EventContent = {
  category: "billing",
  occurredAt: new Date("2026-05-01T12:34:56.789Z"),
  actorType: "user",
  actorId: "user-1",
  impersonatorId: null,
  action: "billing.plan_change",
  targetType: "subscription",
  targetId: "sub \"quoted\" \u2028",
  outcome: "success",
  metadata: { z: 1, a: { y: [1, "two", null], b: "é" } },
  requestId: null,
  personalDigest: "abc",
};

describe("event hash", () => {
  it("is the specified HMAC on lane 0 and on other lanes, with and without a previous hash", () => {
    const places = [
      { chainId: "chain-1", lane: 0, seq: 1, prevHash: null },
      { chainId: "chain-1", lane: 0, seq: 2, prevHash: "f".repeat(64) },
      { chainId: "chain-1", lane: 5, seq: 9, prevHash: "0".repeat(64) },
      { chainId: "chain-2", lane: 31, seq: 123456789, prevHash: null },
    ];
    const hasher = eventHasher(content);
    for (const place of places) {
      const expected = specifiedHash({ ...content, ...place });
      expect(eventHash({ ...content, ...place })).toBe(expected);
      expect(hasher(place)).toBe(expected);
    }
  });

  it("differs with any part of its place", () => {
    const hasher = eventHasher(content);
    const base = { chainId: "chain-1", lane: 1, seq: 1, prevHash: null };
    const variants = [base, { ...base, chainId: "chain-2" }, { ...base, lane: 2 }, { ...base, lane: 0 }, { ...base, seq: 2 }, { ...base, prevHash: "a" }];
    expect(new Set(variants.map(hasher)).size).toBe(variants.length);
  });
});
