export { AUDIT_ACTIONS, type AuditAction } from "./catalogue";
export { recordAuditEvent, redact, splitPersonal, type AuditActor, type AuditEventInput } from "./record";
export { searchAuditEvents, iterateAuditEvents, userTimeline, auditFilterSchema, type AuditFilter, type AuditRow } from "./query";
export { verifyAuditChain, latestVerification, saveVerification, type ChainVerification } from "./verify";
export { eraseAuditPersonalData } from "./erasure";
export { recordAuditRead } from "./read-log";
export { streamAuditExport } from "./export";
export { describeAuditEvent, describeDevice } from "./describe";
export { AUDIT_RETENTION, categoryOf, type AuditCategory } from "./retention";
// Guarded actions (verify, retention) live in ./actions; import them from "@/lib/audit/actions".
