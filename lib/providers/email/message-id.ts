import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * A Message-ID made from the message's idempotency key: the same message
 * sent twice (a retry after a timeout whose first attempt did go out) has
 * the same Message-ID, which receiving servers and mail clients use to keep
 * only one copy.
 */
export function messageIdFor(idempotencyKey: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "breakwater.invalid";
  // Only dot-atom characters may stand left of the @ (RFC 5322).
  const local = idempotencyKey.replace(/[^A-Za-z0-9!#$%&'*+\-/=?^_`{|}~.]/g, ".");
  return `<${local}@${domain}>`;
}

/** The unsubscribe link's token: an HMAC of the address, so a link can't be forged for someone else's address. */
export function unsubscribeToken(email: string, secret: string): string {
  return createHmac("sha256", `email-unsubscribe:${secret}`).update(email.trim().toLowerCase()).digest("base64url");
}

export function unsubscribeTokenValid(email: string, token: string, secret: string): boolean {
  const expected = Buffer.from(unsubscribeToken(email, secret));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
