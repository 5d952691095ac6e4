"use client";

import { OpenReportButton } from "./open-report-button";
import { useErrorId } from "./use-error-id";

/** What both error boundaries show: a sentence, the error id, and the ways forward. */
export function ErrorPanel({ error, reset, message }: { error: Error & { digest?: string }; reset: () => void; message: string }) {
  const errorId = useErrorId(error);
  return (
    <>
      <h1 className="text-2xl font-bold">Something went wrong</h1>
      <p className="mt-2 text-slate-600">{message}</p>
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
    </>
  );
}
