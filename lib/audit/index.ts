export { AUDIT_ACTIONS, type AuditAction } from "./catalogue";
export { recordAuditEvent, redact, type AuditActor, type AuditEventInput } from "./record";
