import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { auditChain, auditCheckpoints, auditEvents, type AuditCheckpoint } from "@/db/schema";
import { reconcileAlerts } from "@/lib/alerts";
import { appendToVault, readVault, vaultLocation } from "@/lib/vault";
import { canonicalJson, sameMac, signAnchor } from "./chain";
import { chainName, parseChainName } from "./lanes";
import { chainsWithEvents, walkChain, type AnchoredHead, type BrokenLink, type Chain, type WalkStart } from "./walk";

/**
 * Anchors: the head of every chain, each lane of each category (newest id,
 * its hash, its sequence number = how many keyed events the chain has had), signed with
 * the chain key and written to the vault (lib/vault: a second database or
 * append-only files), where no role of this database can reach. Verify
 * checks the log against the latest anchor, so removing the newest events,
 * or restoring an older backup, shows. One stream per day keeps every read
 * small; an index stream names the days that have anchors.
 */
export type Anchor = {
  chainId: string;
  at: string;
  /** By chain name (lib/audit/lanes.ts): the category for lane 0, as in anchors written before lanes; `category#lane` otherwise. */
  heads: Record<string, AnchoredHead>;
  /** Set when an operator accepted a head that does not extend the last anchor (after restoring a backup). */
  rebaselined?: { reason: string; replaces: string | null };
};
export type LoadedAnchor = Anchor & { valid: boolean };

function streamPrefix(chainId: string): string {
  return `audit-${chainId.replaceAll("-", "").toLowerCase()}`;
}

function dayOf(at: Date | string): string {
  return new Date(at).toISOString().slice(0, 10).replaceAll("-", "");
}

export async function readChainId(db: Executor): Promise<string | null> {
  const [row] = await db.select({ chainId: auditChain.chainId }).from(auditChain).limit(1);
  return row?.chainId ?? null;
}

/** The newest anchor of this chain, or null when none was written yet. */
export async function latestAnchor(chainId: string): Promise<LoadedAnchor | null> {
  const prefix = streamPrefix(chainId);
  const days = await readVault(`${prefix}-days`);
  for (let i = days.length - 1; i >= 0; i--) {
    const last = (await readVault(`${prefix}-${String(days[i]!.body.day)}`)).at(-1);
    if (!last) continue; // the day was indexed but its anchor never written (a crash in between)
    const { signature, ...anchor } = last.body as Anchor & { signature?: string };
    return { ...anchor, valid: anchor.chainId === chainId && sameMac(signAnchor(anchor), signature) };
  }
  return null;
}

/** The latest retention checkpoint per chain, by chain name: where each chain's remaining events begin. */
export async function latestCheckpoints(db: Executor): Promise<Map<string, AuditCheckpoint>> {
  const rows = await db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.lastEventId));
  const latest = new Map<string, AuditCheckpoint>();
  for (const row of rows) {
    const name = chainName(row.category, row.lane);
    if (!latest.has(name)) latest.set(name, row);
  }
  return latest;
}

/** Every chain with events, and every chain the anchor names (its events may all be gone), by chain name. */
export async function chainsToCheck(db: Executor, anchored: Record<string, AnchoredHead> = {}): Promise<Map<string, Chain>> {
  const chains = new Map<string, Chain>();
  for (const chain of await chainsWithEvents(db)) chains.set(chainName(chain.category, chain.lane), chain);
  for (const name of Object.keys(anchored)) if (!chains.has(name)) chains.set(name, parseChainName(name));
  return chains;
}

async function newestEvent(db: Executor, chain: Chain): Promise<AnchoredHead | null> {
  const [row] = await db
    .select({ lastId: auditEvents.id, hash: auditEvents.hash, seq: auditEvents.seq })
    .from(auditEvents)
    .where(and(eq(auditEvents.category, chain.category), eq(auditEvents.lane, chain.lane)))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  return row ?? null;
}

async function eventHashOf(db: Executor, id: number): Promise<string | null | undefined> {
  const [row] = await db.select({ hash: auditEvents.hash }).from(auditEvents).where(eq(auditEvents.id, id)).limit(1);
  return row ? row.hash : undefined;
}

export type AnchorOutcome =
  | { status: "anchored"; anchor: Anchor; checked: number }
  | { status: "unchanged"; checked: number }
  | { status: "broken"; problem: BrokenLink | { id: null; category: null; problem: "bad_anchor" }; detail: string };

/**
 * Extends the anchor: for each chain, walks only the events after the
 * previous anchor (or the latest checkpoint, when retention has passed it)
 * and records the new head. A head that does not extend the previous one
 * (its anchored event gone, a link or hash broken) is never anchored: that
 * would launder the damage. It raises an alert instead and keeps the last
 * good anchor, so verify goes on reporting it.
 *
 * `rebaseline` (the ops CLI, after a deliberate restore of an older backup)
 * anchors the heads as they are, recording the reason and the anchor it
 * replaces; the older anchors stay in the vault as the record of what was lost.
 */
export async function anchorAuditChain(db: Executor, now = new Date(), options: { rebaseline?: string } = {}): Promise<AnchorOutcome> {
  const chainId = await readChainId(db);
  if (!chainId) throw new Error("The audit log has no chain identity (table audit_chain): run the migrations.");
  const previous = await latestAnchor(chainId);
  const fail = async (problem: Extract<AnchorOutcome, { status: "broken" }>["problem"], detail: string): Promise<AnchorOutcome> => {
    await reconcileAlerts(db, "audit", [
      { dedupKey: "audit_chain_broken", source: "audit", severity: "page", title: "The audit log was changed outside the app", detail, context: { ...problem } },
    ], now);
    return { status: "broken", problem, detail };
  };
  if (options.rebaseline) return rebaseline(db, chainId, previous, now, options.rebaseline);
  if (previous && !previous.valid) return fail({ id: null, category: null, problem: "bad_anchor" }, `The latest anchor in ${vaultLocation()} has an invalid signature.`);

  const checkpoints = await latestCheckpoints(db);
  const chains = await chainsToCheck(db, previous?.heads);
  const heads: Record<string, AnchoredHead> = {};
  let checked = 0;
  for (const name of [...chains.keys()].sort()) {
    const chain = chains.get(name)!;
    const { category } = chain;
    const prev = previous?.heads[name];
    const checkpoint = checkpoints.get(name);
    if (!prev) {
      // First anchor of this chain: record its head as found (the full verify checks what lies before).
      const head = await newestEvent(db, chain);
      if (head) heads[name] = head;
      continue;
    }
    let start: WalkStart;
    if (checkpoint && checkpoint.lastEventId >= prev.lastId) {
      start = { afterId: checkpoint.lastEventId, prevHash: checkpoint.lastHash, prevSeq: null };
    } else {
      const stored = await eventHashOf(db, prev.lastId);
      if (stored !== prev.hash) {
        const problem = { id: prev.lastId, category, problem: "missing_anchored" as const };
        return fail(problem, `Event ${prev.lastId} (${category}), anchored ${previous!.at}, is ${stored === undefined ? "gone" : "changed"}.`);
      }
      start = { afterId: prev.lastId, prevHash: prev.hash, prevSeq: prev.seq };
    }
    const walk = await walkChain(db, chainId, chain, start);
    checked += walk.checked;
    if (walk.problem) return fail(walk.problem, `Event ${walk.problem.id} (${category}) fails verification: ${walk.problem.problem}.`);
    const head = walk.last ?? (start.afterId === prev.lastId ? prev : null);
    if (head) heads[name] = head;
  }
  await reconcileAlerts(db, "audit", [], now);
  const anchor: Anchor = { chainId, at: now.toISOString(), heads };
  // Nothing new today: the vault stays small. A new day always gets one anchor, so the latest is never far back.
  if (previous && dayOf(previous.at) === dayOf(now) && canonicalJson(previous.heads) === canonicalJson(heads)) return { status: "unchanged", checked };
  await writeAnchor(anchor, previous);
  return { status: "anchored", anchor, checked };
}

async function writeAnchor(anchor: Anchor, previous: LoadedAnchor | null): Promise<void> {
  const prefix = streamPrefix(anchor.chainId);
  const day = dayOf(anchor.at);
  if (!previous || dayOf(previous.at) !== day) await appendToVault(`${prefix}-days`, { day });
  await appendToVault(`${prefix}-${day}`, { ...anchor, signature: signAnchor(anchor) });
}

async function rebaseline(db: Executor, chainId: string, previous: LoadedAnchor | null, now: Date, reason: string): Promise<AnchorOutcome> {
  const heads: Record<string, AnchoredHead> = {};
  for (const chain of await chainsWithEvents(db)) {
    const head = await newestEvent(db, chain);
    if (head) heads[chainName(chain.category, chain.lane)] = head;
  }
  const anchor: Anchor = { chainId, at: now.toISOString(), heads, rebaselined: { reason, replaces: previous?.at ?? null } };
  await writeAnchor(anchor, previous);
  await reconcileAlerts(db, "audit", [], now);
  return { status: "anchored", anchor, checked: 0 };
}
