import "server-only";
import { asc } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { erasureLedger } from "@/db/schema";
import { ActionFailure } from "@/lib/safety";
import { appendToVault, readVault } from "@/lib/vault";

/**
 * The erasure ledger: every tombstone of an erased account, kept in the vault
 * (lib/vault: a second database or append-only files), where restoring a
 * backup of the application database cannot roll it back. `ops db restore`
 * replays it, so an account erased after the backup stays erased.
 *
 * Write-ahead: a purge records its tombstone before its transaction commits
 * and revokes it if the transaction then fails. A crash between the two
 * leaves a tombstone for an account whose erasure was decided but not done;
 * a replay then finishes it, which is what was asked for.
 */
const STREAM = "erasures";

export async function recordErasure(tombstoneId: string): Promise<void> {
  try {
    await appendToVault(STREAM, { tombstoneId, erased: true });
  } catch {
    throw new ActionFailure("dependency_down", "The erasure ledger can't be written right now, so nothing was purged. Try again shortly.");
  }
}

/** The purge did not commit after all: its tombstone no longer stands. */
export async function revokeErasure(tombstoneId: string, reason: string): Promise<void> {
  await appendToVault(STREAM, { tombstoneId, erased: false, reason });
}

/** Every tombstone that stands in the vault (a later revocation cancels an earlier record), in order. */
export async function readErasureLedger(): Promise<string[]> {
  const standing = new Map<string, boolean>();
  for (const record of await readVault(STREAM)) {
    const { tombstoneId, erased } = record.body as { tombstoneId?: unknown; erased?: unknown };
    if (typeof tombstoneId === "string") standing.set(tombstoneId, erased !== false);
  }
  return [...standing].filter(([, erased]) => erased).map(([tombstone]) => tombstone);
}

/** The database's own copy of the ledger (a restore rolls it back along with everything else). */
export async function readLedger(db: Executor): Promise<string[]> {
  const rows = await db.select({ tombstoneId: erasureLedger.tombstoneId }).from(erasureLedger).orderBy(asc(erasureLedger.id));
  return rows.map((r) => r.tombstoneId);
}
