import "server-only";
import { desc } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { auditCheckpoints, auditVerifications } from "@/db/schema";
import { vaultLocation } from "@/lib/vault";
import { chainsToCheck, latestAnchor, latestCheckpoints, readChainId, type LoadedAnchor } from "./anchor";
import { checkpointSignatureValid } from "./chain";
import { walkChain, type BrokenLink } from "./walk";

export type ChainVerification = {
  ok: boolean;
  checked: number;
  /** The first event (lowest id) whose hash, link or personal row does not hold, or the anchored event that is gone. */
  firstBroken: BrokenLink | null;
  /** Checkpoints whose signature does not match (a forged retention record). */
  badCheckpoints: number[];
  /** The anchor kept outside the database that the log was checked against. */
  anchor: { at: string; valid: boolean } | null;
  detail: string;
};

const PROBLEMS: Record<BrokenLink["problem"], string> = {
  hash_mismatch: "its content no longer matches its keyed hash",
  broken_link: "it does not follow the previous event's hash",
  personal_mismatch: "its personal data was changed or removed, and not by an erasure",
  missing_anchored: "it was anchored outside the database and is gone: events were removed from the end of the log",
};

function describe(result: Omit<ChainVerification, "detail">, checkpointCount: number, anchorError: string | null): string {
  if (result.firstBroken) {
    const { id, category, problem } = result.firstBroken;
    return `First broken link: event ${id} (${category}): ${PROBLEMS[problem]}.`;
  }
  if (result.badCheckpoints.length > 0) return `Checkpoint signature invalid: ${result.badCheckpoints.join(", ")}.`;
  if (anchorError) return `Could not read the anchors in ${vaultLocation()}: ${anchorError}.`;
  if (result.anchor && !result.anchor.valid) return `The latest anchor in ${vaultLocation()} (${result.anchor.at}) has an invalid signature.`;
  const anchored = result.anchor ? ` Matches the anchor of ${result.anchor.at}, kept outside the database.` : " Not anchored outside the database yet.";
  return `Chain intact: ${result.checked} events in order, ${checkpointCount} signed checkpoints.${anchored}`;
}

/**
 * Walks every chain, each lane of each category (lib/audit/walk.ts): each event's keyed hash
 * must match its content and link to the previous event (or to the latest
 * retention checkpoint for the first event left), and each personal row
 * must match the digest sealed into its event. Then the latest anchor from
 * the vault: every anchored head must still be there (or have been removed
 * by a signed retention checkpoint), so deleting the newest events is
 * caught. Reports the first problem by id.
 */
export async function verifyAuditChain(db: Executor): Promise<ChainVerification> {
  const chainId = await readChainId(db);
  if (!chainId) {
    return { ok: false, checked: 0, firstBroken: null, badCheckpoints: [], anchor: null, detail: "The audit log has no chain identity (table audit_chain)." };
  }
  const checkpoints = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.id));
  const badCheckpoints = checkpoints.filter((c) => !checkpointSignatureValid(c)).map((c) => c.id);
  const latest = await latestCheckpoints(db);
  let anchor: LoadedAnchor | null = null;
  let anchorError: string | null = null;
  try {
    anchor = await latestAnchor(chainId);
  } catch (error) {
    anchorError = error instanceof Error ? error.message : String(error);
  }

  let checked = 0;
  const problems: BrokenLink[] = [];
  for (const [name, chain] of await chainsToCheck(db, anchor?.valid ? anchor.heads : {})) {
    const checkpoint = latest.get(name);
    const anchored = anchor?.valid ? anchor.heads[name] : undefined;
    const walk = await walkChain(db, chainId, chain, { afterId: 0, prevHash: checkpoint?.lastHash ?? null, prevSeq: null }, anchored);
    checked += walk.checked;
    if (walk.problem) problems.push(walk.problem);
    else if (anchored && !walk.sawAnchored && !(checkpoint && checkpoint.lastEventId >= anchored.lastId)) {
      problems.push({ id: anchored.lastId, category: chain.category, problem: "missing_anchored" });
    }
  }
  const firstBroken = problems.sort((a, b) => a.id - b.id)[0] ?? null;
  const result = { checked, firstBroken, badCheckpoints, anchor: anchor ? { at: anchor.at, valid: anchor.valid } : null };
  const ok = !firstBroken && badCheckpoints.length === 0 && !anchorError && (anchor?.valid ?? true);
  return { ok, ...result, detail: describe({ ok, ...result }, checkpoints.length, anchorError) };
}

/** Stores a verification so the admin page can show the last one. */
export async function saveVerification(db: Executor, result: ChainVerification, ranBy: string): Promise<void> {
  await db.insert(auditVerifications).values({
    ok: result.ok,
    checkedCount: result.checked,
    firstBrokenId: result.firstBroken?.id ?? null,
    detail: result.detail,
    ranBy,
  });
}

export async function latestVerification(db: Executor) {
  const [row] = await db.select().from(auditVerifications).orderBy(desc(auditVerifications.ranAt)).limit(1);
  return row ?? null;
}
