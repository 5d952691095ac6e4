ALTER TYPE "public"."notification_status" ADD VALUE IF NOT EXISTS 'sending' BEFORE 'sent';--> statement-breakpoint
ALTER TYPE "public"."notification_status" ADD VALUE IF NOT EXISTS 'unconfirmed';--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN IF NOT EXISTS "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN IF NOT EXISTS "attempts" integer DEFAULT 0 NOT NULL;