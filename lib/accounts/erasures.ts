import { asc, gt } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { erasureLedger, users } from "@/db/schema";
import { defineAction } from "@/lib/safety";
import { purgeUserData } from "./purge";
import { tombstoneId } from "./tombstone";

/** Every tombstone in the ledger: what `npm run ops -- erasures export` writes beside a backup. */
export async function readLedger(db: Executor): Promise<string[]> {
  const rows = await db.select({ tombstoneId: erasureLedger.tombstoneId }).from(erasureLedger).orderBy(asc(erasureLedger.id));
  return rows.map((r) => r.tombstoneId);
}

const tombstone = z.string().regex(/^tomb_[0-9a-f]{32}$/, "Not a tombstone id.");

/**
 * After a restore: re-erases every user whose tombstone is in the ledger
 * (the restored table plus the copy kept outside the backup). A tombstone
 * can't be reversed, so each user's id is hashed and looked up instead.
 */
export const replayErasures = defineAction({
  name: "accounts.replay_erasures",
  permission: "admin:write",
  input: z.object({ tombstones: z.array(tombstone).max(1_000_000).default([]) }),
  handler: async ({ tx, input }) => {
    const ledger = new Set([...(await readLedger(tx)), ...input.tombstones]);
    const erased: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { id: string }[] = await tx
        .select({ id: users.id })
        .from(users)
        .where(after ? gt(users.id, after) : undefined)
        .orderBy(asc(users.id))
        .limit(1000);
      for (const { id } of page) {
        const tomb = tombstoneId(id);
        if (!ledger.has(tomb)) continue;
        await purgeUserData(tx, id, { now: new Date(), reason: "Erasure replayed after a database restore.", replay: true });
        erased.push(tomb);
      }
      if (page.length < 1000) break;
      after = page[page.length - 1]!.id;
    }
    // The restored ledger may be older than the copy we were given: bring it up to date.
    for (const t of input.tombstones) await tx.insert(erasureLedger).values({ tombstoneId: t }).onConflictDoNothing();
    return { checked: ledger.size, reErased: erased };
  },
  audit: {
    action: "account.erasure_replay",
    target: () => ({ type: "erasure_ledger", id: null }),
    metadata: (_, data) => ({ ledgerSize: data?.checked, reErased: data?.reErased }),
    actor: () => ({ type: "system", id: null }),
  },
});
