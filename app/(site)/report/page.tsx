import { PageHeading } from "@/components/ui/card";
import { OpenReportOnArrival } from "@/components/report-problem";

export const metadata = { title: "Report a problem" };

/**
 * Where a page without the app's script sends someone who wants to report a
 * problem (the status page). The dialog opens by itself; its context shows
 * this page's address, which names the page they came from.
 */
export default function ReportPage() {
  return (
    <div className="mx-auto flex max-w-3xl flex-col gap-6 py-8">
      <PageHeading description="Tell us what went wrong and we will look into it. The form shows everything it sends before you send it.">Report a problem</PageHeading>
      <p className="text-sm text-slate-700">If the form did not open, use the Report a problem button at the bottom of this page.</p>
      <OpenReportOnArrival />
    </div>
  );
}
