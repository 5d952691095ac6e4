import Link from "next/link";
import { OpenReportButton } from "@/components/report-problem/open-report-button";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="mt-2 text-slate-600">We couldn&apos;t find that page. If a link brought you here, tell us and we&apos;ll fix it.</p>
      <div className="mt-4 flex items-center justify-center gap-4">
        <Link href="/" className="text-sky-800 underline">
          Go home
        </Link>
        <OpenReportButton label="Report a broken link" description="A link led me to a page that doesn't exist." />
      </div>
    </div>
  );
}
