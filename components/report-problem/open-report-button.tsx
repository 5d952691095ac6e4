"use client";

import { buttonVariants } from "@/components/ui/variants";
import { openReportDialog } from "./error-store";

/** A second way into the report dialog (error pages), pre-filled with what the page knows. */
export function OpenReportButton({ label, errorId, description }: { label: string; errorId?: string | null; description?: string }) {
  return (
    <button
      type="button"
      onClick={() => openReportDialog({ errorId: errorId ?? undefined, description })}
      className={buttonVariants({ variant: "secondary" })}
    >
      {label}
    </button>
  );
}
