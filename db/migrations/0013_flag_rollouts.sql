CREATE TABLE "flag_rollouts" (
	"flag_key" text PRIMARY KEY NOT NULL,
	"phases" jsonb NOT NULL,
	"guards" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"thresholds" jsonb NOT NULL,
	"phase" integer DEFAULT -1 NOT NULL,
	"phase_started_at" timestamp with time zone,
	"reverted_at" timestamp with time zone,
	"revert_reason" text,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "flag_rollouts" ADD CONSTRAINT "flag_rollouts_flag_key_flags_key_fk" FOREIGN KEY ("flag_key") REFERENCES "public"."flags"("key") ON DELETE cascade ON UPDATE no action;