import "server-only";
import { and, desc, eq, ilike, isNotNull, isNull, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { problemReports, reportStatusEnum, users } from "@/db/schema";

/** The inbox's filters, parsed from the query string (anything unknown is ignored). */
export const reportFiltersSchema = z.object({
  status: z.enum(reportStatusEnum.enumValues).optional().catch(undefined),
  q: z.string().trim().max(200).optional().catch(undefined),
  from: z.enum(["all", "users", "staff", "signed_out"]).optional().catch(undefined),
});
export type ReportFilters = z.output<typeof reportFiltersSchema>;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** For staff only (callers check admin:read): the newest reports matching the filters. */
export async function listReports(filters: ReportFilters, limit = 100) {
  const db = await getDb();
  const where: SQL[] = [];
  if (filters.status) where.push(eq(problemReports.status, filters.status));
  if (filters.from === "staff") where.push(eq(problemReports.fromStaff, true));
  if (filters.from === "users") where.push(eq(problemReports.fromStaff, false), isNotNull(problemReports.userId));
  if (filters.from === "signed_out") where.push(eq(problemReports.fromStaff, false), isNull(problemReports.userId));
  if (filters.q) {
    const like = `%${escapeLike(filters.q)}%`;
    where.push(or(ilike(problemReports.reference, like), ilike(problemReports.contactEmail, like), ilike(problemReports.description, like))!);
  }
  return db
    .select({
      id: problemReports.id,
      reference: problemReports.reference,
      status: problemReports.status,
      description: problemReports.description,
      userId: problemReports.userId,
      contactEmail: problemReports.contactEmail,
      fromStaff: problemReports.fromStaff,
      pageUrl: problemReports.pageUrl,
      errorIds: problemReports.errorIds,
      createdAt: problemReports.createdAt,
    })
    .from(problemReports)
    .where(where.length > 0 ? and(...where) : undefined)
    .orderBy(desc(problemReports.createdAt))
    .limit(limit);
}

/** For staff only: one report with everything attached, and the reporter's account if any. */
export async function getReport(id: string) {
  if (!z.string().uuid().safeParse(id).success) return null;
  const db = await getDb();
  const [row] = await db
    .select({ report: problemReports, reporter: { id: users.id, email: users.email, name: users.name, role: users.role, status: users.status } })
    .from(problemReports)
    .leftJoin(users, eq(users.id, problemReports.userId))
    .where(eq(problemReports.id, id));
  if (!row) return null;
  return { ...row.report, reporter: row.reporter?.id ? row.reporter : null };
}
