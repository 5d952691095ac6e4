import "server-only";
import { deletionPurgeJob, trashPurgeJob } from "@/lib/accounts/jobs";
import { alertDeliveryJob } from "@/lib/alerts/jobs";
import { auditAnchorJob, auditRetentionJob } from "@/lib/audit/jobs";
import { invoiceRetentionJob, paymentReconciliationJob, renewalsJob } from "@/lib/billing/jobs";
import { invoiceReconciliationJob } from "@/lib/providers/jobs";
import { uptimeCheck, uptimeProbe } from "@/lib/status/jobs";
import { isJobName, JOB_NAMES, type JobName } from "./declarations";
import type { JobDefinition } from "./define";
import { healthOfJobs, type JobHealth } from "./health";
import { notificationDeliveryJob } from "./notification-delivery";

/**
 * Every background job, one line each. TypeScript holds this table to exactly
 * one definition per job declared in ./declarations, under its own name.
 * vercel.json's crons are checked against it by lib/jobs/registry.test.ts
 * (`npm run ops -- jobs vercel` rewrites them).
 *
 * Only entry points import this module (the runner, the cron route, the ops
 * CLI, status reads). It imports every job file, so a job file importing it
 * would be a cycle: job code gets the list from its JobContext instead.
 */
const BY_NAME: { readonly [N in JobName]: JobDefinition<N> } = {
  renewals: renewalsJob,
  payment_reconciliation: paymentReconciliationJob,
  notification_delivery: notificationDeliveryJob,
  trash_purge: trashPurgeJob,
  deletion_purge: deletionPurgeJob,
  audit_retention: auditRetentionJob,
  audit_anchor: auditAnchorJob,
  uptime_check: uptimeCheck,
  alert_delivery: alertDeliveryJob,
  uptime_probe: uptimeProbe,
  invoice_reconciliation: invoiceReconciliationJob,
  invoice_retention: invoiceRetentionJob,
};

/** Every job, by name. */
export const JOBS: readonly JobDefinition[] = JOB_NAMES.map((name) => BY_NAME[name]);

export function findJob(name: string): JobDefinition | undefined {
  return isJobName(name) ? BY_NAME[name] : undefined;
}

/** The dead-man's switch for every job, for /admin/jobs, the ops CLI and health reads. */
export function jobHealth(now = new Date()): Promise<JobHealth[]> {
  return healthOfJobs(JOBS, now);
}
