"use client";

import { ErrorPanel } from "@/components/report-problem/error-panel";
import { ReportProblemButton } from "@/components/report-problem/report-problem-button";
import { browserConfig } from "@/components/observability/browser-config";
import { DEFAULT_MESSAGES, isUnavailableDigest } from "@/lib/safety/result";
import "./globals.css";

// Replaces the root layout when it fails, so it renders its own document and its own report button.
// The version comes from what the layout told the browser before it failed (the server attaches its own anyway).
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <main className="mx-auto max-w-lg flex-1 py-16 text-center">
          {isUnavailableDigest(error.digest) ? (
            <ErrorPanel error={error} reset={reset} title="Temporarily unavailable" message={DEFAULT_MESSAGES.dependency_down} />
          ) : (
            <ErrorPanel error={error} reset={reset} message="Breakwater couldn't load this page. Nothing was changed. Please try again, or tell us about it." />
          )}
        </main>
        <footer className="border-t border-slate-200 px-4 py-4 text-right text-sm">
          <ReportProblemButton
            appVersion={browserConfig()?.version ?? "unknown"}
            environment={browserConfig()?.environment ?? "unknown"}
            user="unknown"
            impersonating={false}
            flags={null}
          />
        </footer>
      </body>
    </html>
  );
}
