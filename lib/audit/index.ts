export { AUDIT_ACTIONS, AUDIT_CATALOGUE, SUBJECT_VISIBLE_ACTIONS, isAuditAction, type AuditAction } from "./catalogue";
export { actorLabel, actorOf, recordAuditEvent, redact, splitPersonal, type AuditActor, type AuditEventInput } from "./record";
export { searchAuditEvents, iterateAuditEvents, userTimeline, auditFilterSchema, type AuditFilter, type AuditRow } from "./query";
export { verifyAuditChain, latestVerification, saveVerification, type ChainVerification } from "./verify";
export { anchorAuditChain, latestAnchor, type Anchor, type AnchorOutcome } from "./anchor";
export { eraseAuditPersonalData } from "./erasure";
export { streamAuditExport } from "./export";
export { describeAuditEvent, describeDevice } from "./describe";
export { subjectTimeline, type SubjectEvent } from "./timeline";
export { AUDIT_RETENTION, categoryOf, type AuditCategory } from "./retention";
export { recordEnvironmentOverrides } from "./overrides";
// Guarded actions (verify, retention) live in ./actions; import them from "@/lib/audit/actions".
