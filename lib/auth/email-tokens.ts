import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { emailTokens, users } from "@/db/schema";
import type { Executor } from "@/lib/database";
import { env } from "@/lib/env";

export type EmailTokenPurpose = "password_reset" | "email_verification";

/** How long a link works: a reset is urgent and powerful, a confirmation may wait for tomorrow's inbox. */
export const TOKEN_LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  password_reset: 60 * 60_000,
  email_verification: 24 * 60 * 60_000,
};

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * A fresh single-use token for a link sent by email. 256 random bits, stored
 * only as a SHA-256; any earlier unused token of the same purpose for the
 * account stops working, so only the newest email's link does.
 */
export async function issueEmailToken(tx: Executor, userId: string, purpose: EmailTokenPurpose, now = new Date()): Promise<string> {
  await tx
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
  const token = randomBytes(32).toString("base64url");
  await tx.insert(emailTokens).values({ userId, purpose, tokenHash: hashToken(token), expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[purpose]), createdAt: now });
  return token;
}

/** Spends a token: one UPDATE, so two concurrent uses cannot both succeed. Returns the account, or null (unknown, used, expired). */
export async function consumeEmailToken(tx: Executor, token: string, purpose: EmailTokenPurpose, now = new Date()): Promise<{ userId: string } | null> {
  const [row] = await tx
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, now)))
    .returning({ userId: emailTokens.userId });
  return row ?? null;
}

export async function findUserByEmail(db: Executor, email: string) {
  const [row] = await db
    .select({ id: users.id, email: users.email, name: users.name, status: users.status, emailVerifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()));
  return row ?? null;
}

/** A link into this app for an email (APP_URL, since mail is often sent by a job with no request to take the host from). */
export function appLink(path: string, params: Record<string, string> = {}): string {
  const url = new URL(path, env.appUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}
