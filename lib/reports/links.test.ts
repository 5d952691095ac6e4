import { describe, expect, it } from "vitest";
import { analyticsSessionUrl, sentryEventUrl } from "./links";

describe("links from a report", () => {
  const sentry = { SENTRY_ORG: "acme", SENTRY_PROJECT: "breakwater", SENTRY_URL: "https://sentry.example/" };
  const eventId = "0123456789abcdef0123456789abcdef";

  it("links a Sentry event id when the org and project are configured", () => {
    expect(sentryEventUrl(eventId, sentry)).toBe(`https://sentry.example/organizations/acme/projects/breakwater/events/${eventId}/`);
    expect(sentryEventUrl(eventId, { ...sentry, SENTRY_ORG: undefined })).toBeNull();
  });

  it("never links something that is not an event id (a digest, or a crafted value)", () => {
    expect(sentryEventUrl("1234567890", sentry)).toBeNull();
    expect(sentryEventUrl("javascript:alert(1)", sentry)).toBeNull();
  });

  it("links a PostHog session only when PostHog is configured", () => {
    const config = { NEXT_PUBLIC_POSTHOG_KEY: "phc_x", POSTHOG_UI_HOST: "https://eu.posthog.com" };
    expect(analyticsSessionUrl("0192a-b3", config)).toBe("https://eu.posthog.com/replay/0192a-b3");
    expect(analyticsSessionUrl("0192a-b3", { ...config, NEXT_PUBLIC_POSTHOG_KEY: undefined })).toBeNull();
    expect(analyticsSessionUrl("../../evil", config)).toBeNull();
  });
});
