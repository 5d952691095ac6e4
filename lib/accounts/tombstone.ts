import "server-only";
import { createHmac } from "node:crypto";
import { env } from "@/lib/env";

/**
 * A stable pseudonym for a user: the same user id always gives the same
 * tombstone, so retained records of one person stay linkable to each other
 * (and to the erasure ledger) without naming them. One-way: a tombstone does
 * not give the user id back. Keyed with TOMBSTONE_SECRET (AUTH_SECRET when unset);
 * rotating that key breaks ledger replay, so don't.
 */
export function tombstoneId(userId: string): string {
  const key = env.tombstoneSecret;
  return `tomb_${createHmac("sha256", key).update(`user:${userId}`).digest("hex").slice(0, 32)}`;
}
