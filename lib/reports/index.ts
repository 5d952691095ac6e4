export { clientContextSchema, newReportReference, reportInput, REPORT_LIMITS, type ClientContext, type ReportInput } from "./context";
export { analyticsSessionUrl, sentryEventUrl } from "./links";
export { collectServerContext, flagsForReport, type ServerContext } from "./server-context";
export { reporterInfo } from "./reporter";
export type { ReportStatus } from "@/db/schema";
