CREATE TABLE "audit_chain" (
	"singleton" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"chain_id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "audit_chain_singleton" CHECK ("audit_chain"."singleton")
);
--> statement-breakpoint
CREATE TABLE "audit_chain_heads" (
	"category" text PRIMARY KEY NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"last_hash" text
);
--> statement-breakpoint
ALTER TABLE "audit_event_personal" ADD COLUMN "salt" text;--> statement-breakpoint
ALTER TABLE "audit_event_personal" ADD COLUMN "erased_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "audit_event_personal" ADD COLUMN "erasure_mac" text;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_events" ADD COLUMN "personal_digest" text;