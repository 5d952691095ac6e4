/**
 * What the browser knows about this deployment, handed over by the root
 * layout (BrowserSetup) from the server's validated configuration, so no
 * schema or environment parser ships to the browser; and the Sentry SDK once
 * it has loaded. Components reach Sentry here, never by importing
 * "@sentry/nextjs", so the SDK stays out of every page's first-load JavaScript.
 */
type Sentry = typeof import("@sentry/nextjs");

export type BrowserConfig = { sentryDsn?: string; environment: string; version: string };
type SentryStarter = (config: BrowserConfig & { sentryDsn: string }) => Promise<Sentry>;

let config: BrowserConfig | null = null;
let starter: SentryStarter | null = null;
let loaded: Sentry | null = null;
let settle: (sentry: Sentry | null) => void = () => {};
const ready = new Promise<Sentry | null>((resolve) => (settle = resolve));

/** instrumentation-client.ts says how Sentry starts (it alone may import the SDK and its options). */
export function registerSentryStarter(start: SentryStarter): void {
  starter = start;
}

/** Runs once per page load: remembers the deployment and, with a DSN, starts Sentry once the page is loaded and idle. */
export function configureBrowser(next: BrowserConfig): void {
  if (config) return;
  config = next;
  const { sentryDsn } = next;
  const start = starter;
  if (!sentryDsn || !start) {
    settle(null);
    return;
  }
  const run = () =>
    void start({ ...next, sentryDsn })
      .then((sentry) => {
        loaded = sentry;
        settle(sentry);
      })
      .catch(() => settle(null));
  const whenIdle = () => ("requestIdleCallback" in window ? window.requestIdleCallback(run, { timeout: 4000 }) : setTimeout(run, 1));
  if (document.readyState === "complete") whenIdle();
  else window.addEventListener("load", whenIdle, { once: true });
}

/** The deployment's version and environment, if the layout got as far as saying them. */
export function browserConfig(): BrowserConfig | null {
  return config;
}

/** The SDK if it is running now (else null: not loaded yet, or no DSN). */
export function currentSentry(): Sentry | null {
  return loaded;
}

/** The SDK once it has loaded, or null without a DSN (or after `timeoutMs`, when the layout never said). */
export function whenSentryReady(timeoutMs = 8000): Promise<Sentry | null> {
  return Promise.race([ready, new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs))]);
}
