"use client";

import { ErrorPanel } from "@/components/report-problem/error-panel";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <ErrorPanel error={error} reset={reset} message="Nothing you did caused this, and nothing was changed. Please try again, or tell us about it." />
    </div>
  );
}
