// Actions live in ./actions and page reads in ./queries (import those from "@/lib/accounts/actions" / "/queries"): the guarded path must not be imported back through this face.
export { consumeConfirmation, issueConfirmation, requireConfirmationPhrase, signComebackToken, verifyComebackToken, CONFIRMATION_TTL_MS, type ConfirmedAction } from "./confirmations";
export { buildJsonExport, buildZipExport, EXPORT_FORMATS, type ExportFormat, type ExportManifest, type ExportStream } from "./export";
export { RETENTION_POLICIES, retentionPolicy, addDays, describeRetention, deletionGraceDays, trashRetentionDays, type RetentionPolicy } from "./policy";
export { activeLegalHold } from "./purge";
export { readErasureLedger, readLedger } from "./erasures";
export { tombstoneId } from "./tombstone";
export { accountLifecycle, loadInactiveAccount, type AccountLifecycle } from "./reads";
