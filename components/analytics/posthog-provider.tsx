"use client";

import { useEffect, useState } from "react";
import { doNotTrack, readConsent, writeConsent, type Consent } from "./consent";
import { registerAnalyticsSession } from "./session";

type Props = {
  /** NEXT_PUBLIC_POSTHOG_KEY; without it nothing loads and nothing is shown. */
  apiKey: string | undefined;
  host: string;
  /** Identifies the person by id only: no email, no name. */
  userId: string | null;
};

/**
 * PostHog product analytics, loaded only with a key, never under Do Not Track,
 * and only after the visitor says yes. Page views are captured on every
 * client-side navigation (history changes), not just full loads.
 */
export function PostHogProvider({ apiKey, host, userId }: Props) {
  const [consent, setConsent] = useState<Consent | null | "pending">("pending");
  const [dnt, setDnt] = useState(false);

  useEffect(() => {
    // Cookies and DNT are only readable in the browser, after hydration.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setDnt(doNotTrack());
    setConsent(readConsent());
  }, []);

  useEffect(() => {
    if (!apiKey || dnt || consent !== "granted") return;
    let cancelled = false;
    void import("posthog-js").then(({ default: posthog }) => {
      if (cancelled) return;
      if (!posthog.__loaded) {
        posthog.init(apiKey, {
          api_host: host,
          capture_pageview: "history_change",
          respect_dnt: true,
          person_profiles: "identified_only",
          autocapture: false,
        });
      }
      if (userId) posthog.identify(userId);
      else posthog.reset();
      registerAnalyticsSession(() => posthog.get_session_id());
    });
    return () => {
      cancelled = true;
    };
  }, [apiKey, host, userId, dnt, consent]);

  if (!apiKey || dnt || consent !== null) return null;
  const choose = (value: Consent) => {
    writeConsent(value);
    setConsent(value);
  };
  return (
    <div role="region" aria-label="Analytics consent" className="fixed inset-x-0 bottom-0 z-40 border-t border-slate-200 bg-white p-4 text-sm shadow-lg">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-3">
        <p className="flex-1">We&apos;d like to use a cookie to measure how Breakwater is used (PostHog). Nothing is collected unless you allow it.</p>
        <button type="button" onClick={() => choose("granted")} className="rounded-md bg-sky-700 px-3 py-1.5 text-white hover:bg-sky-800">
          Allow analytics
        </button>
        <button type="button" onClick={() => choose("denied")} className="rounded-md px-3 py-1.5 ring-1 ring-slate-300 hover:bg-slate-100">
          No thanks
        </button>
      </div>
    </div>
  );
}
