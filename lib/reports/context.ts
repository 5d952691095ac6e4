import { z } from "zod";
import { ERROR_ID_PATTERN, REPORT_LIMITS } from "./constants";

export { REPORT_LIMITS };

const text = (max: number) => z.string().max(max);
export const errorIdSchema = z.string().regex(ERROR_ID_PATTERN, "Not an error id.");

/**
 * The context the browser collected and showed the user before sending.
 * Every field is optional (a crashed page may not know them all) and bounded;
 * unknown keys, such as a forged `userId`, are dropped.
 */
export const clientContextSchema = z.object({
  url: text(REPORT_LIMITS.url).optional(),
  route: text(REPORT_LIMITS.route).optional(),
  time: text(64).optional(),
  timezone: text(100).optional(),
  userAgent: text(REPORT_LIMITS.userAgent).optional(),
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
    .max(REPORT_LIMITS.description, `Use at most ${REPORT_LIMITS.description.toLocaleString("en")} characters.`),
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
