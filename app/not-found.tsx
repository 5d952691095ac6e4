import type { Metadata } from "next";
import Link from "next/link";
import { OpenReportButton } from "@/components/report-problem/open-report-button";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="mt-2 text-muted-foreground">We couldn&apos;t find that page. If a link brought you here, tell us and we&apos;ll fix it.</p>
      <div className="mt-6 flex flex-wrap items-center justify-center gap-3">
        <Link href="/" className={buttonVariants({ variant: "primary" })}>
          Go home
        </Link>
        <OpenReportButton label="Report a broken link" description="A link led me to a page that doesn't exist." />
      </div>
    </div>
  );
}
