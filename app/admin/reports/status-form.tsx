"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import type { ReportStatus } from "@/lib/reports";
import { changeReportStatus } from "./actions";

export function StatusForm({ reportId, status }: { reportId: string; status: ReportStatus }) {
  const { result, pending, onSubmit } = useGuardedForm(changeReportStatus, { extra: { reportId } });
  const emailed = result?.ok && result.data.emailed;
  return (
    <form onSubmit={onSubmit} className="flex flex-wrap items-center gap-2">
      <label htmlFor="report-status" className="text-sm font-medium">
        Status
      </label>
      <select id="report-status" name="status" defaultValue={status} className="rounded-md border border-slate-300 px-2 py-1.5 text-sm">
        <option value="new">new</option>
        <option value="triaged">triaged</option>
        <option value="resolved">resolved</option>
      </select>
      <Button type="submit" disabled={pending}>
        Save status
      </Button>
      <FormMessage result={result} success={emailed ? "Saved. The reporter has been emailed." : "Saved."} />
    </form>
  );
}
