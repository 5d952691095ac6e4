import "server-only";
import Stripe from "stripe";
import { env } from "@/lib/env";

/**
 * The Stripe SDK configured from STRIPE_SECRET_KEY, or null when payments
 * run on the fake. STRIPE_API_BASE points it elsewhere (a local stand-in in
 * tests) through the SDK's own host/port/protocol options.
 */
export function stripeClient(secretKey: string, apiBase?: string): Stripe {
  const base = apiBase ? new URL(apiBase) : null;
  return new Stripe(secretKey, {
    // One SDK retry (same idempotency key) for a dropped connection; the payments breaker times the whole call out at 5 s.
    maxNetworkRetries: 1,
    timeout: 4_500,
    telemetry: false,
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === "https:" ? 443 : 80), protocol: base.protocol.replace(":", "") as "http" | "https" } : {}),
  });
}

const globalForStripe = globalThis as unknown as { breakwaterStripe?: Stripe | null };

/** The process's Stripe client (one per process whatever the bundle), or null when STRIPE_SECRET_KEY is unset. */
export function configuredStripe(): Stripe | null {
  if (globalForStripe.breakwaterStripe === undefined) {
    globalForStripe.breakwaterStripe = env.STRIPE_SECRET_KEY ? stripeClient(env.STRIPE_SECRET_KEY, env.STRIPE_API_BASE) : null;
  }
  return globalForStripe.breakwaterStripe;
}
