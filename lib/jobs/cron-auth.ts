import { timingSafeEqual } from "node:crypto";

/** True only for `Authorization: Bearer <secret>` with the configured secret; no secret configured means nobody. */
export function isCronAuthorized(header: string | null, secret: string | undefined): boolean {
  if (!secret || !header) return false;
  const expected = Buffer.from(`Bearer ${secret}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
