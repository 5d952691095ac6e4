/**
 * Every background job, registered by one import line each. Importing a job
 * file runs its `defineJob(...)`. vercel.json's crons are checked against
 * this list by lib/jobs/registry.test.ts (`npm run ops -- jobs vercel` rewrites them).
 */
import "@/lib/billing/jobs"; // renewals
import "./notification-delivery"; // notification_delivery
import "@/lib/accounts/jobs"; // trash_purge, deletion_purge
import "@/lib/audit/jobs"; // audit_retention
import "@/lib/status/jobs"; // uptime_check
