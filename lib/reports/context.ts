import { z } from "zod";

/** Upper bounds on what a browser may attach, so a report can't be used to stuff the database. */
export const REPORT_LIMITS = { description: 5000, errorIds: 10, recentErrors: 5, errorMessage: 500 } as const;

const text = (max: number) => z.string().max(max);
/** Sentry event ids (32 hex), Next.js digests (digits), our own UUIDs. */
export const errorIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "Not an error id.");

/**
 * The context the browser collected and showed the user before sending.
 * Every field is optional (a crashed page may not know them all) and bounded;
 * unknown keys, such as a forged `userId`, are dropped.
 */
export const clientContextSchema = z.object({
  url: text(2000).optional(),
  route: text(500).optional(),
  time: text(64).optional(),
  timezone: text(100).optional(),
  userAgent: text(1000).optional(),
  viewport: text(32).optional(),
  language: text(64).optional(),
  appVersion: text(64).optional(),
  environment: text(32).optional(),
  errorIds: z.array(errorIdSchema).max(REPORT_LIMITS.errorIds).optional(),
  recentErrors: z
    .array(z.object({ message: text(REPORT_LIMITS.errorMessage), at: text(64).optional() }))
    .max(REPORT_LIMITS.recentErrors)
    .optional(),
  analyticsSessionId: text(200).optional(),
});
export type ClientContext = z.output<typeof clientContextSchema>;

export const reportInput = z.object({
  description: z
    .string("Describe what went wrong.")
    .trim()
    .min(1, "Describe what went wrong.")
    .max(REPORT_LIMITS.description, "Use at most 5,000 characters."),
  /** Only read for signed-out reporters; a signed-in reporter is written back to at their account's email. */
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(320, "Enter a valid email address.")
    .pipe(z.union([z.literal(""), z.email("Enter a valid email address.")]))
    .optional(),
  context: clientContextSchema.default({}),
});
export type ReportInput = z.input<typeof reportInput>;

const REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U to misread

/** A short reference a person can read out over the phone, e.g. BW-7K3Q9P2M. */
export function newReportReference(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `BW-${Array.from(bytes, (b) => REFERENCE_ALPHABET[b % 32]).join("")}`;
}
