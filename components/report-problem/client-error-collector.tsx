"use client";

import { useEffect } from "react";
import { currentSentry } from "@/components/observability/browser-config";
import { recordClientError, recordErrorId } from "./error-store";

/**
 * Remembers uncaught client errors in this tab for the report dialog. When
 * Sentry is on, its own global handlers capture the error first; the event
 * id it assigned is recorded as an error id seen in this tab.
 */
export function ClientErrorCollector() {
  useEffect(() => {
    const remember = (message: string) => {
      recordClientError(message);
      // Sentry's handler runs in the same tick; read its event id once it has.
      setTimeout(() => recordErrorId(currentSentry()?.lastEventId()), 0);
    };
    const onError = (event: ErrorEvent) => remember(event.message || String(event.error));
    const onRejection = (event: PromiseRejectionEvent) =>
      remember(event.reason instanceof Error ? event.reason.message : `Unhandled rejection: ${String(event.reason)}`);
    window.addEventListener("error", onError);
    window.addEventListener("unhandledrejection", onRejection);
    return () => {
      window.removeEventListener("error", onError);
      window.removeEventListener("unhandledrejection", onRejection);
    };
  }, []);
  return null;
}
