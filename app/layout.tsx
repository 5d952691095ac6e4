import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppFooter } from "@/components/shell/app-footer";
import { AppHeader } from "@/components/shell/app-header";
import { getSessionUser } from "@/lib/auth";
import { env } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Breakwater", template: "%s · Breakwater" },
  description: "A SaaS app that treats operating safely as a first-class system.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col">
        {/* Top slot: the impersonation banner renders here while a support session is active. */}
        <div id="top-banner" />
        <AppHeader user={user} />
        <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">{children}</main>
        <AppFooter version={env.appVersion} />
      </body>
    </html>
  );
}
