/**
 * The id a user is shown for a server error, worked out from the one thing
 * Next.js hands the browser about it: `error.digest`. The server reports the
 * crash to Sentry under this same id, so the id on the error page opens that
 * event. Client-safe (Web Crypto only): the server and the browser run this
 * very function, so the two can never disagree.
 */
export async function errorIdForDigest(digest: string): Promise<string | null> {
  // Web Crypto exists on Node, the edge runtime and every browser, but only in a secure context there (plain http to a LAN address has none).
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const hash = await subtle.digest("SHA-256", new TextEncoder().encode(digest));
  // A Sentry event id is 32 lowercase hex characters: the first half of the hash. Plain SHA-256, so anyone
  // holding a digest from a log line gets the id with `printf %s <digest> | sha256sum | cut -c1-32`.
  return Array.from(new Uint8Array(hash).slice(0, 16), (b) => b.toString(16).padStart(2, "0")).join("");
}
