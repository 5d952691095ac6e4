CREATE TABLE "system_state" (
	"key" text PRIMARY KEY NOT NULL,
	"active" boolean NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"since" timestamp with time zone,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
