import "server-only";
import { z } from "zod";
import { hasPermission } from "@/lib/auth";
import { ActionFailure, defineQuery } from "@/lib/procedures";
import { AUDIT_ACTIONS } from "./catalogue";
import { describeAuditEvent } from "./describe";
import { auditFilterSchema, filterForRecord, firstValues, iterateAuditEvents, searchAuditEvents, type AuditRow } from "./query";
import { latestVerification } from "./verify";

const PAGE_SIZE = 50;

/** Search params as Next hands them to a page. */
const searchParams = z.record(z.string(), z.union([z.string(), z.array(z.string())]).optional()).transform(firstValues);

/**
 * The audit log page around the search: the chain's last verification and
 * the filter form. A malformed filter is not a missing page: its errors come
 * back as data for the form to show, and no search runs.
 */
export const auditLogView = defineQuery({
  name: "audit.view",
  permission: "admin:read",
  input: searchParams,
  handler: async ({ db, input, user }) => {
    const parsed = auditFilterSchema.safeParse(input);
    return {
      // Exports leave out IPs, user agents and other personal data; only an admin, giving a reason, can include them.
      canExportPersonal: hasPermission(user.role, "admin:write"),
      verification: await latestVerification(db),
      actions: AUDIT_ACTIONS,
      values: input,
      errors: parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0] ?? "filter")}: ${i.message}`),
    };
  },
});

const auditLogRead = { type: "audit_log", id: null } as const;

/** One page of matching events, newest first. Searching the log is itself recorded. */
export const searchAuditLog = defineQuery({
  name: "audit.search",
  permission: "admin:read",
  input: auditFilterSchema,
  handler: async ({ db, input }) => {
    const page = await searchAuditEvents(db, input, PAGE_SIZE);
    return { rows: page.rows.map((row) => ({ ...row, description: describeAuditEvent(row) })), nextBefore: page.nextBefore };
  },
  audit: {
    action: "audit.search",
    target: () => auditLogRead,
    metadata: ({ input, data }) => ({ filter: filterForRecord(input), resultCount: data?.rows.length }),
  },
});

/** An event without the personal data kept beside it (address, user agent, names and emails in metadata). */
function withoutPersonalData(row: AuditRow): AuditRow {
  return { ...row, ip: null, userAgent: null, personal: null };
}

async function* mapRows(rows: AsyncIterable<AuditRow>, map: (row: AuditRow) => AuditRow): AsyncGenerator<AuditRow> {
  for await (const row of rows) yield map(row);
}

const exportOptions = z.object({
  format: z.enum(["csv", "json"], "Choose csv or json."),
  /** "include": with IPs, user agents and personal metadata (admins only, with a reason). */
  personal: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["include"]).optional()),
  reason: z.preprocess((v) => (v === "" ? undefined : v), z.string().trim().min(5, "Give a reason (at least 5 characters).").max(500).optional()),
});

/**
 * Every matching event, streamed by the route as CSV or JSON. A data
 * download: staff only, never during a support session, and recorded before
 * the first byte is sent. Without personal data by default (pseudonymous
 * ids stay, addresses and user agents go): that is all support needs.
 * Personal data is for admins, who must say why; the reason is recorded.
 */
export const exportAuditLog = defineQuery({
  name: "audit.export",
  permission: "admin:read",
  input: z.intersection(auditFilterSchema, exportOptions),
  handler: async ({ db, input, request, user }) => {
    if (request.impersonation) throw new ActionFailure("read_only", "Exports are disabled during a read-only support session.");
    const { format, personal, reason, ...filter } = input;
    if (personal === "include") {
      if (!hasPermission(user.role, "admin:write")) throw new ActionFailure("forbidden", "Only an admin can export personal data from the audit log.");
      if (!reason) throw new ActionFailure("invalid_input", "Say why you need the personal data.", { fieldErrors: { reason: "Give a reason (at least 5 characters)." } });
      return { format, personalData: true, rows: iterateAuditEvents(db, filter) };
    }
    return { format, personalData: false, rows: mapRows(iterateAuditEvents(db, filter), withoutPersonalData) };
  },
  audit: {
    action: "audit.export",
    target: () => auditLogRead,
    metadata: ({ input }) => {
      const { format, personal, reason, ...filter } = input;
      return { filter: filterForRecord(filter), format, personalData: personal === "include", reason };
    },
  },
});
