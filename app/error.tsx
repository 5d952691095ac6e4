"use client";

import { ErrorPanel } from "@/components/report-problem/error-panel";
import { DEFAULT_MESSAGES, isUnavailableDigest } from "@/lib/safety/result";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const unavailable = isUnavailableDigest(error.digest);
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <ErrorPanel
        error={error}
        reset={reset}
        title={unavailable ? "Temporarily unavailable" : undefined}
        message={unavailable ? DEFAULT_MESSAGES.dependency_down : "Nothing you did caused this, and nothing was changed. Please try again, or tell us about it."}
      />
    </div>
  );
}
