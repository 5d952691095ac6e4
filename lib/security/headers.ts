/**
 * Every security header the app sends, defined once. next.config.ts applies
 * the fixed ones to every response (static files and health probes too);
 * proxy.ts adds the Content-Security-Policy, which carries a fresh nonce per
 * request (Next.js reads it from the request's own CSP header and stamps it
 * on the scripts it renders). No imports: proxy.ts and next.config.ts both
 * load this file.
 */
export type SecurityHeaderOptions = {
  /** Production deployments also get HSTS (only ever served over HTTPS there). */
  production: boolean;
  /** `next dev` needs eval for its fast refresh, and a websocket for hot reload. */
  development?: boolean;
  /** Browser error reporting: the DSN's host receives envelopes. */
  sentryDsn?: string;
  /** Product analytics: the PostHog API host (and its assets host, for the scripts it loads). */
  posthogHost?: string;
};

/** The fixed headers: nothing here depends on the request. */
export function securityHeaders(options: Pick<SecurityHeaderOptions, "production">): Record<string, string> {
  return {
    // The legacy spelling of frame-ancestors 'none', for browsers that predate CSP level 2.
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // The app uses none of these; a script injected somehow gets none of them either.
    "Permissions-Policy": "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), publickey-credentials-get=(), usb=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    ...(options.production ? { "Strict-Transport-Security": "max-age=63072000; includeSubDomains" } : {}),
  };
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** PostHog serves its scripts from an assets host beside the API host (us.i.posthog.com → us-assets.i.posthog.com). */
function posthogAssetsOrigin(host: string | undefined): string | null {
  const origin = originOf(host);
  if (!origin) return null;
  const url = new URL(origin);
  const match = /^([a-z0-9-]+)\.i\.posthog\.com$/.exec(url.hostname);
  return match ? `${url.protocol}//${match[1]}-assets.i.posthog.com` : null;
}

/** Where the browser may send data: this app, plus the analytics and error-reporting hosts configured. */
export function connectSources(options: SecurityHeaderOptions): string[] {
  const sources = ["'self'", originOf(options.sentryDsn), originOf(options.posthogHost), posthogAssetsOrigin(options.posthogHost)];
  if (options.development) sources.push("ws:", "wss:");
  return [...new Set(sources.filter((s): s is string => Boolean(s)))];
}

/**
 * The one stylesheet a library injects without a nonce: the toast library
 * (sonner) appends an empty `<style>` to <head> when it loads, then fills it
 * with its CSS. Allowed by hash, so its content is pinned: an upgrade that
 * changes the CSS fails the test that recomputes this hash from the installed
 * package, rather than leaving toasts unstyled and the console full of refusals.
 */
export const LIBRARY_STYLE_HASHES = [
  "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", // the empty element, before its text is added
  "'sha256-StEaX+se6YS7pqjzrzMIA0KaX9zF/8zAhvQXZAe5epY='", // sonner 2.0.8's stylesheet
];

/**
 * Next.js's documented nonce pattern: scripts run only with this request's
 * nonce, and 'strict-dynamic' lets those scripts load the chunks (and the
 * PostHog and Sentry code) they need. Framing by anyone is refused.
 */
export function contentSecurityPolicy(nonce: string, options: SecurityHeaderOptions): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    // `next dev` injects its CSS through inline style elements it does not nonce.
    options.development ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}' ${LIBRARY_STYLE_HASHES.join(" ")}`,
    // Inline style attributes (React's style prop) cannot carry a nonce; they cannot run code either.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src ${connectSources(options).join(" ")}`,
    // Sentry's session replay and PostHog's recorder compress in a worker.
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.production ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/**
 * The policy of a document served without any script (the status page):
 * nothing runs, only its own inline stylesheet applies, allowed by its
 * sha256 (base64). It carries no nonce, so one response can serve every
 * visitor and a CDN may keep it.
 */
export function scriptFreeDocumentPolicy(styleSha256: string): string {
  return ["default-src 'none'", `style-src 'sha256-${styleSha256}'`, "img-src 'self'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"].join("; ");
}

/** A fresh nonce per response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
