"use client";

import { buttonVariants } from "@/components/ui/variants";
import { OpenReportButton } from "./open-report-button";
import { useErrorId } from "./use-error-id";

/** What both error boundaries show: a sentence, the error id, and the ways forward. */
export function ErrorPanel({ error, reset, message, title = "Something went wrong" }: { error: Error & { digest?: string }; reset: () => void; message: string; title?: string }) {
  const errorId = useErrorId(error);
  return (
    <>
      <h1 className="text-2xl font-bold">{title}</h1>
      <p className="mt-2 text-slate-600">{message}</p>
      {errorId ? (
        <p className="mt-2 text-sm text-slate-500">
          Error id: <code data-testid="error-id">{errorId}</code>
        </p>
      ) : null}
      <div className="mt-6 flex flex-wrap justify-center gap-2">
        {/* Plain classes: the error boundary loads with every page, the class merger need not. */}
        <button type="button" className={buttonVariants()} onClick={reset}>
          Try again
        </button>
        <OpenReportButton label="Report this problem" errorId={errorId} />
      </div>
    </>
  );
}
