import type { Metadata } from "next";
import type { ReactNode } from "react";
import { PostHogProvider } from "@/components/analytics";
import { ImpersonationBanner } from "@/components/impersonation/impersonation-banner";
import { ClientErrorCollector, ReportProblemButton } from "@/components/report-problem";
import { AppFooter } from "@/components/shell/app-footer";
import { AppHeader } from "@/components/shell/app-header";
import { getSessionUser } from "@/lib/auth";
import { env } from "@/lib/env";
import { tagRequestScope } from "@/lib/observability/sentry";
import { reporterInfoFor } from "@/lib/reports/reporter";
import { endImpersonation, recordImpersonationPageView } from "./admin/users/[id]/actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Breakwater", template: "%s · Breakwater" },
  description: "A SaaS app that treats operating safely as a first-class system.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  // Report-a-problem context and Sentry tags for this request (issue 7).
  const report = await reporterInfoFor();
  tagRequestScope({ requestId: report.requestId, userId: report.info.user?.id });
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        {/* Top slot: the impersonation banner renders here while a support session is active. */}
        <ImpersonationBanner exit={endImpersonation} recordPageView={recordImpersonationPageView} />
        <AppHeader user={user} />
        <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">{children}</main>
        <AppFooter version={env.appVersion} actions={<ReportProblemButton {...report.info} />} />
        <ClientErrorCollector />
        {/* No analytics while staff view an account read-only: it would be recorded as the customer's. */}
        <PostHogProvider apiKey={report.info.impersonating ? undefined : env.NEXT_PUBLIC_POSTHOG_KEY} host={env.NEXT_PUBLIC_POSTHOG_HOST} userId={report.info.user?.id ?? null} />
      </body>
    </html>
  );
}
