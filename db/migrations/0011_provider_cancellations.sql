CREATE TABLE "provider_cancellations" (
	"tombstone_id" text PRIMARY KEY NOT NULL,
	"payment_method" text,
	"queued_at" timestamp with time zone DEFAULT now() NOT NULL
);
