import { NextResponse } from "next/server";
import { getDb } from "@/db/client";
import { auditFilterSchema, iterateAuditEvents, recordAuditRead, streamAuditExport } from "@/lib/audit";
import { hasPermission } from "@/lib/auth";
import { getImpersonation, getSessionUser } from "@/lib/auth/session";
import { firstValues } from "../params";

export const dynamic = "force-dynamic";

// A data download: staff only, never during a support session, and recorded before the first byte.
export async function GET(request: Request) {
  if (await getImpersonation()) {
    return NextResponse.json({ error: { code: "read_only", message: "Exports are disabled during a read-only support session." } }, { status: 403 });
  }
  const staff = await getSessionUser();
  if (!staff) return NextResponse.json({ error: { code: "unauthenticated", message: "Please sign in to continue." } }, { status: 401 });
  if (!hasPermission(staff.role, "admin:read")) return NextResponse.json({ error: { code: "forbidden", message: "You don't have permission to do that." } }, { status: 403 });
  const params = firstValues(Object.fromEntries(new URL(request.url).searchParams));
  const format = params.format === "json" ? "json" : params.format === "csv" ? "csv" : null;
  const parsed = auditFilterSchema.safeParse(params);
  if (!format || !parsed.success) {
    const fieldErrors = parsed.success ? { format: "Choose csv or json." } : Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "_form"), i.message]));
    return NextResponse.json({ error: { code: "invalid_input", message: "Please correct the filter.", fieldErrors } }, { status: 400 });
  }
  const db = await getDb();
  await recordAuditRead(db, staff, { kind: "export", filter: parsed.data, format, requestId: request.headers.get("x-request-id") });
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  return new Response(streamAuditExport(iterateAuditEvents(db, parsed.data), format), {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-${stamp}.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}
