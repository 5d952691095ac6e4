"use client";

import { ErrorPanel } from "@/components/report-problem/error-panel";
import { ReportProblemButton } from "@/components/report-problem/report-problem-button";
import "./globals.css";

// Replaces the root layout when it fails, so it renders its own document and its own report button.
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        <main className="mx-auto max-w-lg flex-1 py-16 text-center">
          <ErrorPanel error={error} reset={reset} message="Breakwater couldn't load this page. Nothing was changed. Please try again, or tell us about it." />
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
