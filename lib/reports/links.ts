import "server-only";
import { env } from "@/lib/env";
import { clientEnv } from "@/lib/env/client";

/** Link to a Sentry event, when the org and project are configured. Anything that is not an event id gets no link. */
export function sentryEventUrl(eventId: string, config: Pick<typeof env, "SENTRY_ORG" | "SENTRY_PROJECT" | "SENTRY_URL"> = env): string | null {
  if (!config.SENTRY_ORG || !config.SENTRY_PROJECT || !/^[0-9a-f]{32}$/.test(eventId)) return null;
  const base = config.SENTRY_URL.replace(/\/$/, "");
  return `${base}/organizations/${encodeURIComponent(config.SENTRY_ORG)}/projects/${encodeURIComponent(config.SENTRY_PROJECT)}/events/${eventId}/`;
}

/** Link to a PostHog session replay, when PostHog is configured. */
export function analyticsSessionUrl(sessionId: string, config: { NEXT_PUBLIC_POSTHOG_KEY?: string; POSTHOG_UI_HOST: string } = { NEXT_PUBLIC_POSTHOG_KEY: clientEnv.NEXT_PUBLIC_POSTHOG_KEY, POSTHOG_UI_HOST: env.POSTHOG_UI_HOST }): string | null {
  if (!config.NEXT_PUBLIC_POSTHOG_KEY || !/^[A-Za-z0-9-]{1,200}$/.test(sessionId)) return null;
  return `${config.POSTHOG_UI_HOST.replace(/\/$/, "")}/replay/${encodeURIComponent(sessionId)}`;
}
