export {
  requestConfirmation,
  deactivateAccount,
  reactivateAccount,
  cancelDeletion,
  adminCancelDeletion,
  requestAccountDeletion,
  purgeAccountNow,
  purgeDueAccount,
  findDueDeletions,
  placeLegalHold,
  liftLegalHold,
  requestExport,
  startExportDownload,
} from "./actions";
export { signComebackToken, verifyComebackToken, CONFIRMATION_TTL_MS, type ConfirmedAction } from "./confirmations";
export { buildJsonExport, buildZipExport, EXPORT_FORMATS, type ExportFormat, type ExportManifest } from "./export";
export { RETENTION_POLICIES, describeRetention, deletionGraceDays, trashRetentionDays, type RetentionPolicy } from "./policy";
export { activeLegalHold } from "./purge";
export { readLedger, replayErasures } from "./erasures";
export { tombstoneId } from "./tombstone";
export { SYSTEM_USER, systemRequest } from "./system";
export { accountLifecycle, type AccountLifecycle } from "./queries";
