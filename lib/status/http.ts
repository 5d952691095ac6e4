import type { StatusSnapshot } from "./snapshot";

/**
 * Caching for the public status routes, so a CDN absorbs an incident
 * stampede: shared caches keep a response for a second (the same bound a kill
 * switch takes to reach the page), then may serve it stale for half a minute
 * while one request revalidates, and for a day if this origin fails
 * altogether. Browsers always revalidate, and an unchanged status costs them
 * a bodiless 304.
 */
export const STATUS_CACHE_CONTROL = "public, max-age=0, s-maxage=1, stale-while-revalidate=30, stale-if-error=86400";

/** Weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored, `*` matches anything. */
export function etagMatches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((candidate) => candidate.trim() === "*" || opaque(candidate) === opaque(etag));
}

/**
 * A 304 when the client already holds this representation of the snapshot,
 * otherwise the body `render` makes. `variant` tells representations apart
 * (the JSON and the feed of one snapshot are different bodies).
 */
export function statusResponse(request: Request, snapshot: StatusSnapshot, variant: string, contentType: string, render: () => string): Response {
  const etag = variant ? snapshot.etag.replace(/"$/, `-${variant}"`) : snapshot.etag;
  const headers = { ETag: etag, "Cache-Control": STATUS_CACHE_CONTROL, Vary: "Accept-Encoding" };
  if (etagMatches(request.headers.get("if-none-match"), etag)) return new Response(null, { status: 304, headers });
  return new Response(render(), { status: 200, headers: { ...headers, "Content-Type": contentType } });
}

/**
 * A body rendered once per snapshot: the first request after a new snapshot
 * (at most one a second) renders it, every other request shares the string.
 */
export function renderedPerSnapshot(render: (snapshot: StatusSnapshot) => string): (snapshot: StatusSnapshot) => string {
  let last: { snapshot: StatusSnapshot; body: string } | null = null;
  return (snapshot) => {
    if (last?.snapshot !== snapshot) last = { snapshot, body: render(snapshot) };
    return last.body;
  };
}
