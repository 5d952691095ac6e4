"use client";

import { useEffect, useState } from "react";
import { whenSentryReady } from "@/components/observability/browser-config";
import { recordClientError, recordErrorId } from "./error-store";

/**
 * The id an error page shows for `error`: the Sentry event id when Sentry is
 * on in the browser, else the Next.js digest (server errors), else a local id.
 * It is remembered in this tab so a report carries it.
 */
export function useErrorId(error: Error & { digest?: string }): string | null {
  const [errorId, setErrorId] = useState<string | null>(error.digest ?? null);
  useEffect(() => {
    let cancelled = false;
    // Sentry loads after the page is interactive; an error before that waits for it (or for "no DSN").
    void whenSentryReady().then((sentry) => {
      if (cancelled) return;
      const id = sentry?.isEnabled()
        ? sentry.captureException(error, { tags: error.digest ? { digest: error.digest } : undefined })
        : (error.digest ?? crypto.randomUUID().replaceAll("-", ""));
      recordErrorId(id);
      if (error.digest && error.digest !== id) recordErrorId(error.digest);
      if (!error.digest) recordClientError(error.message);
      // Capturing is a side effect, so it happens here, and the id shown follows it.
      setErrorId(id);
    });
    return () => {
      cancelled = true;
    };
  }, [error]);
  return errorId;
}
