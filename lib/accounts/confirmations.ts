import "server-only";
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import type { Executor } from "@/lib/database";
import { confirmationTokens } from "@/db/schema";
import { env } from "@/lib/env";
import { ActionFailure } from "@/lib/safety";

/** Irreversible actions that need a server-issued confirmation token. */
export const CONFIRMED_ACTIONS = ["account.delete", "account.purge", "project.purge", "trash.empty", "account.export"] as const;
export type ConfirmedAction = (typeof CONFIRMED_ACTIONS)[number];

export const CONFIRMATION_TTL_MS = 5 * 60 * 1000;

/**
 * The phrase a type-to-confirm dialog asks for, checked on the server as
 * well: the browser's check only enables the button. Case and surrounding
 * spaces don't matter; anything else refuses before anything is deleted.
 */
export function requireConfirmationPhrase(typed: string | undefined, expected: string, what: string): void {
  if ((typed ?? "").trim().toLowerCase() === expected.trim().toLowerCase()) return;
  throw new ActionFailure("invalid_input", `Type ${what} exactly to confirm. Nothing was deleted.`, { fieldErrors: { confirmText: `Type ${what} exactly.` } });
}

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

/** Issues a single-use token bound to actor + action + target. Only its hash is stored. */
export async function issueConfirmation(
  db: Executor,
  binding: { actorId: string; action: ConfirmedAction; targetId: string },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + CONFIRMATION_TTL_MS);
  await db.insert(confirmationTokens).values({ tokenHash: hash(token), ...binding, expiresAt, createdAt: now });
  // Expired tokens are useless; clear the actor's old ones so the table stays small.
  await db.delete(confirmationTokens).where(and(eq(confirmationTokens.actorId, binding.actorId), lt(confirmationTokens.expiresAt, new Date(now.getTime() - CONFIRMATION_TTL_MS))));
  return { token, expiresAt };
}

/**
 * Spends a token inside the action's transaction: one atomic update that only
 * matches an unused, unexpired token with exactly this binding. A replay, an
 * expired token or one issued for another target all fail the same way, and
 * the caller's transaction (with the change) rolls back.
 */
export async function consumeConfirmation(
  tx: Executor,
  token: string | undefined,
  binding: { actorId: string; action: ConfirmedAction; targetId: string },
  now = new Date(),
): Promise<void> {
  if (!token) throw new ActionFailure("forbidden", "This needs a confirmation. Open the dialog and confirm again.");
  const [spent] = await tx
    .update(confirmationTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(confirmationTokens.tokenHash, hash(token)),
        eq(confirmationTokens.actorId, binding.actorId),
        eq(confirmationTokens.action, binding.action),
        eq(confirmationTokens.targetId, binding.targetId),
        isNull(confirmationTokens.usedAt),
        gt(confirmationTokens.expiresAt, now),
      ),
    )
    .returning({ tokenHash: confirmationTokens.tokenHash });
  if (!spent) {
    throw new ActionFailure("forbidden", "This confirmation has expired or was already used. Nothing was changed; confirm again.");
  }
}

/**
 * Stateless signed token for the one thing a signed-out, deactivated (or
 * pending-deletion) account may do: come back. The page that shows "Your
 * account is deactivated" can only render it for a valid session of that
 * user; it names the session version, so signing out everywhere voids it.
 */
export type ComebackPurpose = "reactivate" | "cancel_deletion";

const sign = (payload: string) => createHmac("sha256", env.authSecret).update(`comeback:${payload}`).digest("base64url");

export function signComebackToken(claims: { userId: string; sessionVersion: number; purpose: ComebackPurpose }, now = new Date()): string {
  const payload = `${claims.userId}.${claims.sessionVersion}.${claims.purpose}.${now.getTime() + CONFIRMATION_TTL_MS}`;
  return `${Buffer.from(payload).toString("base64url")}.${sign(payload)}`;
}

export function verifyComebackToken(token: string, purpose: ComebackPurpose, now = new Date()): { userId: string; sessionVersion: number } | null {
  const [encoded, signature] = token.split(".");
  if (!encoded || !signature) return null;
  const payload = Buffer.from(encoded, "base64url").toString();
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const [userId, version, tokenPurpose, expires] = payload.split(".");
  if (!userId || tokenPurpose !== purpose || Number(expires) <= now.getTime()) return null;
  return { userId, sessionVersion: Number(version) };
}
