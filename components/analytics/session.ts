/**
 * The analytics session id for the report dialog, without making every page
 * load posthog-js: the provider registers a getter once PostHog is running.
 */
let getter: (() => string | undefined) | null = null;

export function registerAnalyticsSession(get: (() => string | undefined) | null): void {
  getter = get;
}

export function analyticsSessionId(): string | undefined {
  try {
    return getter?.() || undefined;
  } catch {
    return undefined;
  }
}
