"use client";

import { OpenReportButton } from "@/components/report-problem/open-report-button";
import { useErrorId } from "@/components/report-problem/use-error-id";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const errorId = useErrorId(error);
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="mt-2 text-slate-600">Nothing you did caused this, and nothing was changed. Please try again, or tell us about it.</p>
      {errorId ? (
        <p className="mt-2 text-sm text-slate-500">
          Error id: <code data-testid="error-id">{errorId}</code>
        </p>
      ) : null}
      <div className="mt-4 flex justify-center gap-2">
        <button type="button" onClick={reset} className="rounded-md bg-sky-700 px-4 py-2 text-white">
          Try again
        </button>
        <OpenReportButton label="Report this problem" errorId={errorId} />
      </div>
    </div>
  );
}
