"use client";

import { useEffect } from "react";
import { openReportDialog } from "./error-store";

/**
 * Opens the report dialog once the page has mounted: for pages reached to
 * report (the status page links here, having no script of its own). After
 * the commit, so the footer's dialog is already listening.
 */
export function OpenReportOnArrival() {
  useEffect(() => {
    const timer = setTimeout(() => openReportDialog(), 0);
    return () => clearTimeout(timer);
  }, []);
  return null;
}
