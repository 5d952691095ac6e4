"use client";

import { OpenReportButton } from "@/components/report-problem/open-report-button";
import { ReportProblemButton } from "@/components/report-problem/report-problem-button";
import { useErrorId } from "@/components/report-problem/use-error-id";
import "./globals.css";

// Replaces the root layout when it fails, so it renders its own document and its own report button.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const errorId = useErrorId(error);
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <main className="mx-auto max-w-lg flex-1 py-16 text-center">
          <h1 className="text-2xl font-bold">Something went wrong</h1>
          <p className="mt-2 text-slate-600">Breakwater couldn&apos;t load this page. Nothing was changed. Please try again, or tell us about it.</p>
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
        </main>
        <footer className="border-t border-slate-200 px-4 py-4 text-right text-sm">
          <ReportProblemButton
            appVersion={process.env.NEXT_PUBLIC_APP_VERSION ?? "unknown"}
            environment={process.env.NEXT_PUBLIC_APP_ENV ?? process.env.NODE_ENV}
            user="unknown"
            impersonating={false}
            flags={null}
          />
        </footer>
      </body>
    </html>
  );
}
