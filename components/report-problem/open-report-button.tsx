"use client";

import { openReportDialog } from "./error-store";

/** A second way into the report dialog (error pages), pre-filled with what the page knows. */
export function OpenReportButton({ label, errorId, description }: { label: string; errorId?: string | null; description?: string }) {
  return (
    <button
      type="button"
      onClick={() => openReportDialog({ errorId: errorId ?? undefined, description })}
      className="rounded-md px-4 py-2 ring-1 ring-slate-300 hover:bg-slate-100"
    >
      {label}
    </button>
  );
}
