export { ReportProblemButton, type ReporterInfo } from "./report-problem-button";
export { ClientErrorCollector } from "./client-error-collector";
export { openReportDialog, recordErrorId, OPEN_REPORT_EVENT } from "./error-store";
export { OpenReportOnArrival } from "./open-report-on-arrival";
