import "server-only";
import { createHash } from "node:crypto";
import { logger } from "@/lib/observability";
import { getPublicStatus, type PublicStatus } from "./public-status";
import { stateSignature } from "./sources";

/**
 * The one status snapshot this instance serves to /status, /api/status and
 * the feed. Every request shares it, so a stampede costs one set of queries
 * per instance per second, not one per request.
 *
 * It is recomputed, and the request waits for the new one, when what it was
 * computed from changed: the flag config version (a kill switch flipped here
 * or on another instance: the same version counter flag propagation uses),
 * a breaker's state as this instance sees it, or an incident or maintenance
 * window posted here. Otherwise it is refreshed in the background once it is
 * a second old, and requests keep getting the current one meanwhile.
 */
export type StatusSnapshot = {
  status: PublicStatus;
  /** Weak: two snapshots that differ only in `generatedAt` are the same status. */
  etag: string;
};

type Held = StatusSnapshot & { signature: string; computedAt: number };

const MAX_AGE_MS = 1_000;

type SnapshotState = { held: Held | null; inflight: Promise<Held> | null; localChanges: number };
const globalForSnapshot = globalThis as unknown as { breakwaterStatusSnapshot?: SnapshotState };
const state: SnapshotState = (globalForSnapshot.breakwaterStatusSnapshot ??= { held: null, inflight: null, localChanges: 0 });

export function statusEtag(status: PublicStatus): string {
  const { generatedAt: _ignored, ...content } = status;
  return `W/"${createHash("sha1").update(JSON.stringify(content)).digest("base64url").slice(0, 22)}"`;
}

async function signature(): Promise<string> {
  return `${await stateSignature()}|${state.localChanges}`;
}

function recompute(sig: string): Promise<Held> {
  state.inflight ??= getPublicStatus()
    .then((status) => {
      const held: Held = { status, etag: statusEtag(status), signature: sig, computedAt: Date.now() };
      state.held = held;
      return held;
    })
    .finally(() => {
      state.inflight = null;
    });
  return state.inflight;
}

/** The current snapshot; waits only when there is none yet or the state it was computed from changed. */
export async function currentStatusSnapshot(): Promise<StatusSnapshot> {
  const sig = await signature();
  const held = state.held;
  if (!held || held.signature !== sig) {
    // A recompute already running may have started before this change: wait for it, then make sure.
    if (state.inflight) await state.inflight.catch(() => null);
    const after = state.held;
    if (after && after.signature === sig) return after;
    return recompute(sig);
  }
  if (Date.now() - held.computedAt >= MAX_AGE_MS && !state.inflight) {
    void recompute(sig).catch((error: unknown) => logger.warn({ err: error }, "status snapshot refresh failed"));
  }
  return held;
}

/** Called after an incident or maintenance change commits on this instance: the next request recomputes. */
export function invalidatePublicStatus(): void {
  state.localChanges++;
}

/** Tests: forget the snapshot (a fresh instance). */
export function resetStatusSnapshotForTests(): void {
  state.held = null;
  state.inflight = null;
}
