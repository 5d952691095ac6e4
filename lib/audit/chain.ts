import "server-only";
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * The audit log's keyed integrity, computed here and never in the database:
 * every event's `hash` is an HMAC over its content, its place in its
 * chain (category, lane, seq) and the previous event's hash, under a key that lives in
 * the app's secrets (AUDIT_CHAIN_KEY). A role that can rewrite rows, even
 * the schema's owner with its triggers off, cannot produce a hash that
 * verifies. One secret, one derived key per purpose, so a value made for
 * one use (an anchor, say) can never pass as another (an event).
 */
type Purpose = "event" | "personal" | "erasure" | "anchor" | "checkpoint";

const derived = new Map<string, Buffer>();
function keyFor(purpose: Purpose): Buffer {
  const cacheKey = `${purpose}:${env.auditChainKey}`;
  let key = derived.get(cacheKey);
  if (!key) {
    key = createHmac("sha256", env.auditChainKey).update(`breakwater-audit:${purpose}`).digest();
    derived.set(cacheKey, key);
  }
  return key;
}

function mac(purpose: Purpose, message: string): string {
  return createHmac("sha256", keyFor(purpose)).update(message).digest("hex");
}

/** Constant-time comparison of two hex strings (false when either is missing). */
export function sameMac(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** The value as the database will give it back: what JSON keeps, nothing else (dates become strings, undefined goes). */
export function asStoredJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? {})) as T;
}

/** JSON with object keys sorted at every depth: one spelling per value, whatever order jsonb returns keys in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What an event says, before it has a place in a chain. */
export type EventContent = {
  category: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  impersonatorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  metadata: Record<string, unknown>;
  requestId: string | null;
  personalDigest: string | null;
};

/** Everything an event's hash covers: its content, its chain position (lane and seq) and the database's chain identity. */
export type ChainedContent = EventContent & { chainId: string; lane: number; seq: number; prevHash: string | null };

/** Where an event sits: the database's chain identity, its lane, its seq, and the hash before it. */
export type ChainPlace = { chainId: string; lane: number; seq: number; prevHash: string | null };

/**
 * Lane 0 hashes exactly what every event hashed before lanes, so those
 * events verify unchanged; any other lane adds its number after the
 * category. The arrays differ in length, so no event of one lane hashes
 * like an event of another: moving an event between lanes breaks its hash.
 */
function chainPosition(category: string, lane: number): unknown[] {
  return lane === 0 ? [category] : [category, lane];
}

/**
 * An event's hash at any place, its content spelt once: an append seals one
 * event onto several lanes (append.ts), one HMAC each. The message is the
 * JSON array [chainId, category, (lane,) seq, ...content, prevHash], built
 * from the two spelt parts; `eventHash` is the same function for one place.
 */
export function eventHasher(e: EventContent): (place: ChainPlace) => string {
  const content = JSON.stringify([
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
  ]).slice(1, -1);
  return (p) => mac("event", `${JSON.stringify([p.chainId, ...chainPosition(e.category, p.lane), p.seq]).slice(0, -1)},${content},${JSON.stringify(p.prevHash)}]`);
}

export function eventHash(e: ChainedContent): string {
  return eventHasher(e)(e);
}

export type PersonalContent = {
  salt: string;
  subjectUserId: string | null;
  ip: string | null;
  userAgent: string | null;
  data: Record<string, unknown>;
};

/** A new random salt for a personal row; erased with the row, after which its digest matches no guess. */
export function newSalt(): string {
  return randomBytes(16).toString("base64url");
}

/** Keyed digest of a personal-data row, sealed into its event's hash. */
export function personalDigest(p: PersonalContent): string {
  return mac("personal", JSON.stringify([p.salt, p.subjectUserId, p.ip, p.userAgent, canonicalJson(p.data)]));
}

/** Proof that the app erased this row's content (a role without the key cannot fake an erasure). */
export function erasureMark(eventId: number, erasedAt: Date, digest: string): string {
  return mac("erasure", JSON.stringify([eventId, erasedAt.getTime(), digest]));
}

/**
 * Signature of a retention checkpoint: proves the removed prefix of one
 * lane's chain ended at this hash. Lane 0 signs what checkpoints signed
 * before lanes; other lanes a JSON array, which no lane-0 message can spell.
 */
export function signCheckpoint(category: string, lane: number, lastEventId: number, lastHash: string): string {
  return mac("checkpoint", lane === 0 ? `${category}|${lastEventId}|${lastHash}` : JSON.stringify([category, lane, lastEventId, lastHash]));
}

/** Checkpoints written before the chain was keyed were signed with a key derived from AUTH_SECRET (all of them lane 0). */
export function checkpointSignatureValid(c: { category: string; lane: number; lastEventId: number; lastHash: string; signature: string }): boolean {
  if (sameMac(signCheckpoint(c.category, c.lane, c.lastEventId, c.lastHash), c.signature)) return true;
  if (c.lane !== 0) return false;
  const legacy = createHmac("sha256", `audit-checkpoint:${env.authSecret}`).update(`${c.category}|${c.lastEventId}|${c.lastHash}`).digest("hex");
  return sameMac(legacy, c.signature);
}

/** Signature of an anchor body (lib/audit/anchor.ts). */
export function signAnchor(body: unknown): string {
  return mac("anchor", canonicalJson(body));
}
