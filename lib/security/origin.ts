/**
 * What "this app's origin" means, and the two rules built on it: browser
 * mutations must come from it, and redirects must stay on it.
 *
 * The origins come from configuration (APP_URL, AUTH_URL, Vercel's deployment
 * hostnames), not from the request: the Host header is whatever the sender
 * put there, and behind a proxy it may name an internal host. Only a
 * development or test server with nothing configured falls back to its Host
 * header, so `npm run dev` works on any port without setup.
 */
export type Provenance = { origin: string | null; secFetchSite: string | null; host: string | null };

/** The origins a request to this server may legitimately come from. */
export function allowedOrigins(configured: readonly string[], host: string | null): string[] {
  if (configured.length > 0) return [...configured];
  return host ? [`http://${host}`, `https://${host}`] : [];
}

function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    // "null" (sandboxed frames, privacy redirects) and non-web schemes never match.
    return url.origin === "null" ? null : url.origin;
  } catch {
    return null;
  }
}

/**
 * True when a browser says this request came from one of the app's own pages:
 * its Origin is one of them, or, when a browser sent no Origin, Fetch
 * Metadata says same-origin. A request carrying neither is not from a page
 * of ours (a tool that wants to call in must send the app's Origin).
 */
export function isSameOriginRequest(provenance: Provenance | null | undefined, allowed: readonly string[]): boolean {
  if (!provenance) return false;
  if (provenance.origin !== null) {
    const origin = originOf(provenance.origin);
    return origin !== null && allowed.includes(origin);
  }
  return provenance.secFetchSite === "same-origin";
}

// Control characters (tab and newline are dropped by URL parsers, so "/\t/evil" becomes "//evil") and backslashes (read as "/").
const SMUGGLING = /[\u0000-\u001f\u007f\\]/;

/**
 * A redirect target as a path on this app, or the fallback. The target is
 * parsed as a URL against the app's origin and kept only if it resolves to
 * that same origin; the tricks that make a "path" leave the site (leading
 * `//`, backslashes, tabs and newlines, percent-encoded forms of those,
 * `javascript:` and other schemes) are refused before and after decoding.
 */
export function safeRedirectPath(target: unknown, appOrigin: string, fallback = "/"): string {
  if (typeof target !== "string" || target.length === 0 || target.length > 2048) return fallback;
  if (!target.startsWith("/") || target.startsWith("//")) return fallback;
  let decoded = target;
  for (let i = 0; i < 3; i++) {
    if (SMUGGLING.test(decoded) || decoded.startsWith("//")) return fallback;
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return fallback;
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (SMUGGLING.test(decoded) || decoded.startsWith("//")) return fallback;
  let url: URL;
  try {
    url = new URL(target, appOrigin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(appOrigin).origin) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
