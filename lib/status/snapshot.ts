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

type Held = StatusSnapshot & { signature: string; computedAt: number; generation: number };
type Recompute = { signature: string; promise: Promise<Held> };

const MAX_AGE_MS = 1_000;

type SnapshotState = { held: Held | null; inflight: Recompute | null; started: number; localChanges: number };
const globalForSnapshot = globalThis as unknown as { breakwaterStatusSnapshot?: SnapshotState };
const state: SnapshotState = (globalForSnapshot.breakwaterStatusSnapshot ??= { held: null, inflight: null, started: 0, localChanges: 0 });

export function statusEtag(status: PublicStatus): string {
  const { generatedAt: _ignored, ...content } = status;
  return `W/"${createHash("sha1").update(JSON.stringify(content)).digest("base64url").slice(0, 22)}"`;
}

async function signature(): Promise<string> {
  return `${await stateSignature()}|${state.localChanges}`;
}

/**
 * Starts a recompute for the state `sig` names. The newest one started wins:
 * an older recompute that finishes later does not replace the snapshot a
 * newer one left, since it may have read the state before the change.
 */
function recompute(sig: string): Promise<Held> {
  const generation = ++state.started;
  const run: Recompute = {
    signature: sig,
    promise: getPublicStatus()
      .then((status) => {
        const held: Held = { status, etag: statusEtag(status), signature: sig, computedAt: Date.now(), generation };
        if (!state.held || state.held.generation < generation) state.held = held;
        return held;
      })
      .finally(() => {
        if (state.inflight === run) state.inflight = null;
      }),
  };
  state.inflight = run;
  return run.promise;
}

/**
 * The current snapshot; waits only when there is none yet or the state it was
 * computed from changed, and then only for a recompute of the changed state:
 * one already running for an older state (a background refresh, say) is left
 * to finish on its own, so a loaded instance does not pay for both.
 */
export async function currentStatusSnapshot(): Promise<StatusSnapshot> {
  const sig = await signature();
  const held = state.held;
  if (!held || held.signature !== sig) {
    if (state.inflight?.signature === sig) return state.inflight.promise;
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
