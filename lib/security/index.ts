import "server-only";
import { env } from "@/lib/env";
import { clientAddressFrom } from "./client-ip";
import { allowedOrigins, isSameOriginRequest, safeRedirectPath, type Provenance } from "./origin";

/**
 * Trust at the edge of the app: which origins are this app's own, where the
 * client's address comes from, where a redirect may go, and the headers every
 * response carries. Configuration decides each (lib/env); a request's own
 * headers never widen it.
 */

/** This app's origins for a request (configured; a dev server's own Host only when none is). */
export function appOrigins(host: string | null): string[] {
  return allowedOrigins(env.appOrigins, host);
}

/** True when a browser request comes from one of this app's own pages. */
export function fromOwnPage(provenance: Provenance | null | undefined): boolean {
  return isSameOriginRequest(provenance, appOrigins(provenance?.host ?? null));
}

/** The client's address from the headers our platform or proxies wrote, or null. */
export function clientAddress(headers: Headers | undefined): string | null {
  return clientAddressFrom(headers, env.clientAddress);
}

/** A redirect target kept only as a path on this app; anything else becomes `fallback`. */
export function ownPath(target: unknown, host: string | null, fallback: string): string {
  const origin = appOrigins(host)[0] ?? "http://localhost";
  return safeRedirectPath(target, origin, fallback);
}

/** This response's CSP nonce (proxy.ts puts the policy on the request), for inline code we render ourselves. */
export async function requestNonce(): Promise<string | undefined> {
  const { headers } = await import("next/headers");
  const policy = (await headers()).get("content-security-policy");
  return policy?.match(/'nonce-([^']+)'/)?.[1];
}

export { normaliseAddress, type ClientAddressSource } from "./client-ip";
export { contentSecurityPolicy, newNonce, scriptFreeDocumentPolicy, securityHeaders } from "./headers";
export type { Provenance } from "./origin";
