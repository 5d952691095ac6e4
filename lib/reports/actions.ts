import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { problemReports, reportStatusEnum } from "@/db/schema";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { newReportReference, reportInput } from "./context";
import { collectServerContext } from "./server-context";

// Staff in a read-only support session may still file a report (and only that): let the data layer accept it.
// Anyone may report a problem, signed in or not, even from a read-only support session (tagged as from staff).
// The reporter is the session's user, never an id from the payload; the server attaches flags and audit events itself.
export const submitProblemReport = defineAction({
  name: "report.submit",
  permission: "public",
  // INCIDENT: problem reports flood in or the report path is broken.
  // FAILURE MODE: with report_problem off reports are refused with the switch's sentence; nothing is stored.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook rollback; switch report_problem off.
  flag: "report_problem",
  rateLimit: { policy: "report_problem", by: "user_or_ip" },
  // Staff may report a problem from a support session: the report row is the one thing it may write.
  allowDuringImpersonation: { writes: ["problem_reports"] },
  input: reportInput,
  prepare: async ({ db, user, request }) => collectServerContext(db, user, request),
  handler: async ({ tx, input, user, request, prepared }) => {
    const fromStaff = request.impersonation !== null;
    // Staff reporting from a support session must not have the customer emailed about it.
    const contactEmail = fromStaff ? null : (user?.email ?? (input.email || null));
    if (!user && !contactEmail) {
      const message = "Enter your email so we can reply.";
      throw new ActionFailure("invalid_input", message, { fieldErrors: { email: message } });
    }
    const errorIds = [...new Set(input.context.errorIds ?? [])];
    const [row] = await tx
      .insert(problemReports)
      .values({
        reference: newReportReference(),
        description: input.description,
        userId: user?.id ?? null,
        contactEmail,
        fromStaff,
        impersonatorId: request.impersonation?.impersonatorId ?? null,
        pageUrl: input.context.url ?? null,
        errorIds,
        context: input.context,
        serverContext: prepared,
        requestId: request.requestId,
      })
      .returning({ id: problemReports.id, reference: problemReports.reference });
    return row!;
  },
  audit: {
    action: "report.submit",
    target: ({ data }) => ({ type: "problem_report", id: data?.id ?? null }),
    // Never the description: it is free text and may hold personal data.
    metadata: ({ input, data }) => ({ reference: data?.reference, errorIds: input.context.errorIds?.length ?? 0 }),
  },
});

const RESOLVED_BODY = (reference: string) =>
  `Hello,\n\nThe problem you reported (reference ${reference}) has been resolved. Thank you for telling us about it.\n\nIf it happens again, reply with this reference.\n\n— Breakwater support`;

// Support and admins triage reports; resolving one emails the reporter (through the outbox, so only if the change commits).
export const changeReportStatus = defineAction({
  name: "report.change_status",
  // Support staff work the inbox; a report's status is support's own bookkeeping, not a change to anyone's account.
  permission: "support:write",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({
    reportId: z.string().uuid("Unknown report."),
    status: z.enum(reportStatusEnum.enumValues, "Choose new, triaged or resolved."),
  }),
  handler: async ({ tx, input, notify }) => {
    const [current] = await tx
      .select({ status: problemReports.status, reference: problemReports.reference, userId: problemReports.userId, contactEmail: problemReports.contactEmail })
      .from(problemReports)
      .where(eq(problemReports.id, input.reportId))
      .for("update");
    if (!current) throw new ActionFailure("not_found", "That report doesn't exist.");
    if (current.status === input.status) return { previousStatus: current.status, reference: current.reference, emailed: false };
    await tx
      .update(problemReports)
      .set({ status: input.status, updatedAt: new Date(), resolvedAt: input.status === "resolved" ? new Date() : null })
      .where(eq(problemReports.id, input.reportId));
    const emailed = input.status === "resolved" && current.contactEmail !== null;
    if (emailed) {
      await notify({
        userId: current.userId,
        to: current.contactEmail!,
        template: "report_resolved",
        subject: `Your problem report ${current.reference} is resolved`,
        body: RESOLVED_BODY(current.reference),
      });
    }
    return { previousStatus: current.status, reference: current.reference, emailed };
  },
  audit: {
    action: "report.status_change",
    target: ({ input }) => ({ type: "problem_report", id: input.reportId }),
    metadata: ({ input, data }) => ({ reference: data?.reference, before: { status: data?.previousStatus }, after: { status: input.status }, emailed: data?.emailed }),
  },
});
