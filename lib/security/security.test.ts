import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { signInGate } from "@/lib/auth/queries";
import { requestMetaFrom } from "@/lib/auth";
import { loadServerEnv } from "@/lib/env/schema";
import { contextFor, createTestUser } from "@/test/factories";
import { clientAddressFrom, normaliseAddress } from "./client-ip";
import { connectSources, contentSecurityPolicy, LIBRARY_STYLE_HASHES, securityHeaders } from "./headers";
import { allowedOrigins, isSameOriginRequest, safeRedirectPath } from "./origin";

const APP = "https://app.example.test";
const EVIL = "evil.example";

/** Known ways to make a "path" leave the site, each as a ?next= value. */
const REDIRECT_BYPASSES = [
  `//${EVIL}`,
  `///${EVIL}`,
  `/\\${EVIL}`,
  `\\\\${EVIL}`,
  `/\\/${EVIL}`,
  `/%5C${EVIL}`,
  `/%5c${EVIL}`,
  `/%2F${EVIL}`,
  `/%2f%2f${EVIL}`,
  `/%252F%252F${EVIL}`,
  `/%255C${EVIL}`,
  `/\t/${EVIL}`,
  `/%09/${EVIL}`,
  `/\n/${EVIL}`,
  `/%0A/${EVIL}`,
  `/%0D/${EVIL}`,
  `/\u0000/${EVIL}`,
  `/%00/${EVIL}`,
  ` //${EVIL}`,
  `https://${EVIL}`,
  `http:${EVIL}`,
  `https:/\\${EVIL}`,
  `//${EVIL}@app.example.test`,
  `javascript:alert(1)`,
  `JaVaScRiPt:alert(1)`,
  `java\tscript:alert(1)`,
  `data:text/html,<script>alert(1)</script>`,
  `/%E0%A4%A`,
  "",
  "x".repeat(3000),
];

describe("redirects go only to this app's own paths", () => {
  it.each(REDIRECT_BYPASSES)("refuses %j", (target) => {
    expect(safeRedirectPath(target, APP, "/projects")).toBe("/projects");
  });

  it("keeps a real path, its query and fragment", () => {
    expect(safeRedirectPath("/billing?tab=invoices#latest", APP, "/projects")).toBe("/billing?tab=invoices#latest");
    expect(safeRedirectPath("/projects/abc/../def", APP, "/")).toBe("/projects/def");
    expect(safeRedirectPath("/search?q=a%20b", APP, "/")).toBe("/search?q=a%20b");
  });

  it("the sign-in page hands on only same-app paths (the reported /%5Cevil payload included)", async () => {
    const user = await createTestUser();
    // (A NUL byte never reaches the gate: the input link refuses it first.)
    for (const next of REDIRECT_BYPASSES.filter((t) => !t.includes("\u0000"))) {
      const gate = await signInGate.run({ next }, contextFor(user, { origin: { origin: null, secFetchSite: null, host: "app.example.test" } }));
      expect(gate).toMatchObject({ ok: true, data: { redirectTo: "/projects", next: "/projects" } });
    }
    expect(await signInGate.run({ next: "/billing" }, contextFor(user))).toMatchObject({ ok: true, data: { redirectTo: "/billing" } });
  });
});

describe("same-origin rule", () => {
  it("uses the configured origins, and a development server's own Host only when none is configured", () => {
    expect(allowedOrigins([APP], "internal:3000")).toEqual([APP]);
    expect(allowedOrigins([], "localhost:3000")).toEqual(["http://localhost:3000", "https://localhost:3000"]);
    expect(isSameOriginRequest({ origin: APP, secFetchSite: "same-origin", host: "spoofed.example" }, [APP])).toBe(true);
    // A Host header an attacker chose (DNS rebinding, a misrouted proxy) does not make its Origin ours.
    expect(isSameOriginRequest({ origin: `https://${EVIL}`, secFetchSite: "same-origin", host: EVIL }, [APP])).toBe(false);
    expect(isSameOriginRequest({ origin: "not a url", secFetchSite: null, host: null }, [APP])).toBe(false);
    expect(isSameOriginRequest(null, [APP])).toBe(false);
  });

  it("production refuses to start without its own origin or a source for client addresses", () => {
    const base = {
      APP_ENV: "production",
      AUTH_SECRET: "x".repeat(32),
      CRON_SECRET: "y".repeat(32),
      DATABASE_URL: "postgres://a@b/c",
      VAULT_DATABASE_URL: "postgres://a@b/d",
      AUDIT_CHAIN_KEY: "k".repeat(48),
      STRIPE_SECRET_KEY: "sk_live_x",
      STRIPE_WEBHOOK_SECRET: "whsec_x",
      SMTP_URL: "smtps://mail.example:465",
      EMAIL_FROM: "Breakwater <no-reply@example.com>",
    };
    expect(() => loadServerEnv(base)).toThrow(/APP_URL.*TRUSTED_PROXIES/);
    expect(() => loadServerEnv({ ...base, APP_URL: APP })).toThrow(/TRUSTED_PROXIES/);
    expect(loadServerEnv({ ...base, APP_URL: `${APP}/some/path`, TRUSTED_PROXIES: "10.0.0.0/8, 192.0.2.7" })).toMatchObject({
      appOrigins: [APP],
      clientAddress: { source: "proxies", trusted: ["10.0.0.0/8", "192.0.2.7"] },
    });
    expect(loadServerEnv({ ...base, VERCEL: "1", VERCEL_PROJECT_PRODUCTION_URL: "breakwater.vercel.app", VERCEL_URL: "breakwater-abc.vercel.app" })).toMatchObject({
      appOrigins: ["https://breakwater.vercel.app", "https://breakwater-abc.vercel.app"],
      clientAddress: { source: "vercel" },
    });
    expect(() => loadServerEnv({ ...base, APP_URL: "javascript:alert(1)", TRUSTED_PROXIES: "10.0.0.1" })).toThrow(/APP_URL/);
    expect(() => loadServerEnv({ ...base, APP_URL: APP, TRUSTED_PROXIES: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXIES/);
    expect(() => loadServerEnv({ ...base, APP_URL: APP, TRUSTED_PROXIES: "my-proxy" })).toThrow(/TRUSTED_PROXIES/);
  });
});

describe("the client's address comes only from what our platform or proxies wrote", () => {
  const behindProxy = { source: "proxies", trusted: ["10.0.0.0/8"] } as const;
  const headers = (h: Record<string, string>) => new Headers(h);

  it("reads X-Forwarded-For from the right, skipping our own proxies; the client's own entries are ignored", () => {
    // The proxy appended the address it saw (203.0.113.9); whatever the client sent comes before it.
    for (const spoofed of ["6.6.6.6", "1.1.1.1, 2.2.2.2", "10.0.0.5", "not-an-ip"]) {
      expect(clientAddressFrom(headers({ "x-forwarded-for": `${spoofed}, 203.0.113.9` }), behindProxy)).toBe("203.0.113.9");
    }
    // Two of our proxies in a row: the client is the first address neither holds.
    expect(clientAddressFrom(headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.1.2.3" }), behindProxy)).toBe("198.51.100.4");
    // X-Real-IP is a client-settable header off Vercel.
    expect(clientAddressFrom(headers({ "x-real-ip": "6.6.6.6", "x-forwarded-for": "203.0.113.9" }), behindProxy)).toBe("203.0.113.9");
    expect(clientAddressFrom(headers({}), behindProxy)).toBeNull();
  });

  it("on Vercel reads the edge's own headers, never X-Forwarded-For", () => {
    const vercel = { source: "vercel" } as const;
    expect(clientAddressFrom(headers({ "x-real-ip": "203.0.113.9", "x-forwarded-for": "6.6.6.6" }), vercel)).toBe("203.0.113.9");
    expect(clientAddressFrom(headers({ "x-vercel-forwarded-for": "203.0.113.10", "x-forwarded-for": "6.6.6.6" }), vercel)).toBe("203.0.113.10");
  });

  it("normalises what proxies write", () => {
    expect(normaliseAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(normaliseAddress("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normaliseAddress("192.0.2.1:5555")).toBe("192.0.2.1");
    expect(normaliseAddress("unknown")).toBeNull();
  });

  it("requests as the app sees them: a loopback peer (development default) is a proxy, a rotated X-Forwarded-For prefix is not", () => {
    // Next.js records the peer's address in X-Forwarded-For when the client sent none.
    expect(requestMetaFrom(headers({ "x-forwarded-for": "::ffff:127.0.0.1" })).ip).toBe("127.0.0.1");
    expect(requestMetaFrom(headers({ "x-forwarded-for": "6.6.6.6, 7.7.7.7, 198.51.100.20, 127.0.0.1" })).ip).toBe("198.51.100.20");
  });
});

describe("security headers", () => {
  it("deny framing, sniffing and powerful features; HSTS only in production", () => {
    const dev = securityHeaders({ production: false });
    expect(dev).toMatchObject({ "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "strict-origin-when-cross-origin" });
    expect(dev["Permissions-Policy"]).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
    expect(dev["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders({ production: true })["Strict-Transport-Security"]).toBe("max-age=63072000; includeSubDomains");
  });

  it("a nonce CSP that refuses framing and lets Sentry and PostHog through", () => {
    const csp = contentSecurityPolicy("abc123", { production: true, sentryDsn: "https://key@o42.ingest.sentry.io/7", posthogHost: "https://eu.i.posthog.com" });
    expect(csp).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain("unsafe-eval");
    expect(connectSources({ production: true, sentryDsn: "https://key@o42.ingest.sentry.io/7", posthogHost: "https://eu.i.posthog.com" })).toEqual([
      "'self'",
      "https://o42.ingest.sentry.io",
      "https://eu.i.posthog.com",
      "https://eu-assets.i.posthog.com",
    ]);
    expect(contentSecurityPolicy("n", { production: false, development: true })).toContain("'unsafe-eval'");
  });

  it("allows the toast library's injected stylesheet by the hash of exactly the CSS installed", () => {
    // The stylesheet is the string literal the library passes to its own style-inserting helper.
    const source = fs.readFileSync(path.join(process.cwd(), "node_modules/sonner/dist/index.mjs"), "utf8");
    const css = JSON.parse(source.match(/__insertCSS\(("(?:[^"\\]|\\.)*")\)/)![1]!) as string;
    const hash = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;
    expect(LIBRARY_STYLE_HASHES).toEqual([hash(""), hash(css)]);
    expect(contentSecurityPolicy("n", { production: true })).toContain(`style-src 'self' 'nonce-n' ${LIBRARY_STYLE_HASHES.join(" ")}`);
  });
});
