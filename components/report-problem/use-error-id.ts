"use client";

import { useEffect, useState } from "react";
import { whenSentryReady } from "@/components/observability/browser-config";
import { errorIdForDigest } from "@/lib/observability/constants";
import { recordClientError, recordErrorId } from "./error-store";

/**
 * The id an error page shows for `error`. A server error (it has a digest)
 * was reported by the server under an id derived from that digest, so the
 * page shows that same id. A browser error is captured here and shows the
 * browser's event id, or a local id without Sentry. It is remembered in this
 * tab so a report carries it.
 */
export function useErrorId(error: Error & { digest?: string }): string | null {
  const [errorId, setErrorId] = useState<string | null>(error.digest ?? null);
  useEffect(() => {
    let cancelled = false;
    const { digest } = error;
    const settle = (id: string) => {
      if (cancelled) return;
      recordErrorId(id);
      // The digest is also in the server's log line: a report carries both.
      if (digest && digest !== id) recordErrorId(digest);
      if (!digest) recordClientError(error.message);
      setErrorId(id);
    };
    if (digest) {
      // No browser event: the server's holds the real stack, and a second event would only split the trail.
      void errorIdForDigest(digest).then((id) => settle(id ?? digest));
    } else {
      // Sentry loads after the page is interactive; an error before that waits for it (or for "no DSN").
      void whenSentryReady().then((sentry) => settle(sentry?.isEnabled() ? sentry.captureException(error) : crypto.randomUUID().replaceAll("-", "")));
    }
    return () => {
      cancelled = true;
    };
  }, [error]);
  return errorId;
}
