import "server-only";
import { after } from "next/server";
import { recordRequestOutcome } from "./outcomes";
import { IS_DEV_SERVER } from "./slo-report";

/**
 * Times one page render for the page-latency SLO: from the arrival stamp the
 * proxy put on the request to the moment the response has been sent.
 */
export function timePageRender(arrivalHeader: string | null): void {
  // A dev server's render times include compiling the page: not recorded (see slo-report.ts).
  if (IS_DEV_SERVER) return;
  const start = Number(arrivalHeader);
  if (!Number.isFinite(start) || start <= 0) return;
  after(() => recordRequestOutcome("pages", true, Date.now() - start));
}
