import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { PostHogProvider } from "@/components/analytics";
import { AnonymousIdCookie } from "@/components/flags/anonymous-id-cookie";
import { BrowserSetup } from "@/components/observability/browser-setup";
import { ImpersonationBanner } from "@/components/impersonation/impersonation-banner";
import { ReadOnlyContent } from "@/components/impersonation/read-only-content";
import { ClientErrorCollector, ReportProblemButton } from "@/components/report-problem";
import { AppFooter } from "@/components/shell/app-footer";
import { AppHeader } from "@/components/shell/app-header";
import { MaintenanceBanner } from "@/components/shell/maintenance-banner";
import { SkipLink } from "@/components/shell/skip-link";
import { ThemeProvider } from "@/components/shell/theme-provider";
import { LazyToaster } from "@/components/ui/lazy-toaster";
import { currentViewer } from "@/lib/auth/queries";
import { clientEnv } from "@/lib/env/client";
import { tagRequestScope } from "@/lib/observability";
import { requestNonce } from "@/lib/security";
import { loadPage } from "@/lib/web";
import { endImpersonation } from "./admin/users/[id]/actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Breakwater", template: "%s · Breakwater" },
  description: "Projects and billing, operated safely: kill switches, circuit breakers, rate limits and an audit log you can prove.",
  applicationName: "Breakwater",
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#0f172b" },
  ],
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await loadPage(currentViewer);
  // Sentry tags for this request, matching the report-a-problem context.
  tagRequestScope({ requestId: viewer.requestId, userId: viewer.user?.id });
  const nonce = await requestNonce();
  return (
    // next-themes sets the theme class on <html> before the first paint, so React must not mind the difference.
    <html lang="en" suppressHydrationWarning>
      <body className="flex min-h-screen flex-col">
        <ThemeProvider nonce={nonce}>
          <SkipLink />
          {/* Top slot: the impersonation banner renders here while a support session is active. */}
          <ImpersonationBanner session={viewer.supportSession} exit={endImpersonation} />
          <MaintenanceBanner maintenance={viewer.maintenance} />
          <AppHeader user={viewer.user} showAdmin={viewer.showAdmin} />
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 outline-none sm:py-8">
            {viewer.supportSession ? <ReadOnlyContent>{children}</ReadOnlyContent> : children}
          </main>
          <AppFooter version={clientEnv.NEXT_PUBLIC_APP_VERSION ?? viewer.appVersion} actions={<ReportProblemButton {...viewer.report} />} />
          <LazyToaster />
        </ThemeProvider>
        <BrowserSetup sentryDsn={clientEnv.NEXT_PUBLIC_SENTRY_DSN} environment={clientEnv.NEXT_PUBLIC_APP_ENV ?? "development"} version={clientEnv.NEXT_PUBLIC_APP_VERSION ?? viewer.appVersion} />
        <AnonymousIdCookie />
        <ClientErrorCollector />
        <PostHogProvider apiKey={viewer.analyticsAllowed ? clientEnv.NEXT_PUBLIC_POSTHOG_KEY : undefined} host={clientEnv.NEXT_PUBLIC_POSTHOG_HOST} userId={viewer.user?.id ?? null} />
      </body>
    </html>
  );
}
