import "server-only";
import { env } from "@/lib/env";

/**
 * Each audit category is several independent chains, its lanes. A writer
 * inside a transaction holds its lane's head until it commits; with one
 * chain per category, every other transaction writing that category waited
 * for that commit. With lanes, it takes a lane nobody holds, lowest first
 * (so a quiet system keeps to lane 0, where every event written before lanes
 * lives), and waits only when every lane is held.
 *
 * How many lanes appends use is AUDIT_LANES, 1 unless set. A build from
 * before lanes reads a category's heads as one row: against a category with
 * more than one lane it appends duplicates or breaks the chain, so more lanes
 * are turned on only once such a build is no longer a rollback target (the
 * README's "Audit lanes"). Every build since reads and verifies any number:
 * verification, anchors and retention find lanes from the rows, so changing
 * the count needs no migration, and lowering it leaves the higher lanes'
 * chains without new events, which still verify.
 */
export const AUDIT_LANES = env.auditLanes;

/**
 * One chain's name where chains are listed by name (anchor heads): the
 * category alone for lane 0, so anchors written before lanes name lane 0.
 * Category names never contain "#".
 */
export function chainName(category: string, lane: number): string {
  return lane === 0 ? category : `${category}#${lane}`;
}

export function parseChainName(name: string): { category: string; lane: number } {
  const at = name.lastIndexOf("#");
  if (at < 0) return { category: name, lane: 0 };
  const lane = Number(name.slice(at + 1));
  return Number.isInteger(lane) && lane > 0 ? { category: name.slice(0, at), lane } : { category: name, lane: 0 };
}
