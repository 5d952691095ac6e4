import "server-only";
import { and, desc, eq, ilike, isNotNull, isNull, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { problemReports, reportStatusEnum, users, type Role } from "@/db/schema";
import { hasPermission, type SessionUser } from "@/lib/auth";
import { viewAsVerdict } from "@/lib/impersonation";
import { ActionFailure, defineQuery } from "@/lib/procedures";
import { clientContextSchema } from "./context";
import { analyticsSessionUrl, sentryEventUrl } from "./links";
import type { ServerContext } from "./server-context";

/** The inbox's filters, parsed from the query string (anything unknown or malformed is ignored, never an error page). */
const reportFilters = z.object({
  status: z.enum(reportStatusEnum.enumValues).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  from: z.enum(["all", "users", "staff", "signed_out"]).optional().catch(undefined),
});

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

// Staff triage: the newest reports matching the filters, and the filters as understood.
export const problemReportInbox = defineQuery({
  name: "reports.list",
  permission: "admin:read",
  input: reportFilters,
  handler: async ({ db, input: filters }) => {
    const where: SQL[] = [];
    if (filters.status) where.push(eq(problemReports.status, filters.status));
    if (filters.from === "staff") where.push(eq(problemReports.fromStaff, true));
    if (filters.from === "users") where.push(eq(problemReports.fromStaff, false), isNotNull(problemReports.userId));
    if (filters.from === "signed_out") where.push(eq(problemReports.fromStaff, false), isNull(problemReports.userId));
    if (filters.q) {
      const like = `%${escapeLike(filters.q)}%`;
      where.push(or(ilike(problemReports.reference, like), ilike(problemReports.contactEmail, like), ilike(problemReports.description, like))!);
    }
    const reports = await db
      .select({
        id: problemReports.id,
        reference: problemReports.reference,
        status: problemReports.status,
        description: problemReports.description,
        userId: problemReports.userId,
        contactEmail: problemReports.contactEmail,
        fromStaff: problemReports.fromStaff,
        createdAt: problemReports.createdAt,
      })
      .from(problemReports)
      .where(where.length > 0 ? and(...where) : undefined)
      .orderBy(desc(problemReports.createdAt))
      .limit(100);
    return {
      filters,
      reports: reports.map((r) => ({
        ...r,
        from: r.fromStaff ? "staff" : (r.contactEmail ?? (r.userId ? "user" : "anonymous")),
        excerpt: r.description.slice(0, 140),
      })),
    };
  },
});

/** "View as this user" from a report: one click, the report itself as the session's reason; or why not. */
function viewAsReporter(staff: SessionUser, reporter: { id: string; role: Role; status: string } | null, reference: string) {
  const reason = `Problem report ${reference}`;
  if (!reporter) return { allowed: false, reason, refusal: "The report was sent signed out: there is no account to view." };
  if (!hasPermission(staff.role, "support:write")) return { allowed: false, reason, refusal: "Viewing as a user needs a support or admin role." };
  const verdict = viewAsVerdict(staff, reporter);
  return verdict.allowed ? { allowed: true, reason, refusal: null } : { allowed: false, reason, refusal: verdict.reason };
}

// Staff triage: one report with everything attached, the reporter's account if any, and links out to Sentry and PostHog.
export const problemReport = defineQuery({
  name: "reports.get",
  permission: "admin:read",
  input: z.object({ id: z.string().uuid("Unknown report.") }),
  handler: async ({ db, input, user }) => {
    const [row] = await db
      .select({ report: problemReports, reporter: { id: users.id, email: users.email, name: users.name, role: users.role, status: users.status } })
      .from(problemReports)
      .leftJoin(users, eq(users.id, problemReports.userId))
      .where(eq(problemReports.id, input.id));
    if (!row) throw new ActionFailure("not_found", "That report doesn't exist.");
    const { report } = row;
    // What the browser sent is untrusted: parsed against the same schema it was accepted with, or shown as nothing.
    const parsed = clientContextSchema.safeParse(report.context);
    const context = parsed.success ? parsed.data : {};
    const reporter = row.reporter?.id ? row.reporter : null;
    return {
      ...report,
      reporter,
      viewAs: viewAsReporter(user, reporter, report.reference),
      context,
      server: report.serverContext as Partial<ServerContext>,
      errors: report.errorIds.map((id) => ({ id, sentryUrl: sentryEventUrl(id) })),
      analyticsSessionUrl: context.analyticsSessionId ? analyticsSessionUrl(context.analyticsSessionId) : null,
    };
  },
});
