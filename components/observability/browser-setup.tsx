"use client";

import { useEffect } from "react";
import { configureBrowser, type BrowserConfig } from "./browser-config";

/** Rendered once by the root layout: hands the browser its configuration (and so starts Sentry, when there is a DSN). */
export function BrowserSetup({ sentryDsn, environment, version }: BrowserConfig) {
  useEffect(() => configureBrowser({ sentryDsn, environment, version }), [sentryDsn, environment, version]);
  return null;
}
