import { streamAuditExport } from "@/lib/audit";
import { exportAuditLog } from "@/lib/audit/queries";
import { routeQuery } from "@/lib/web";

export const dynamic = "force-dynamic";

// A download of the filtered log; the query refuses non-staff and support sessions and records the export first.
export const GET = routeQuery(exportAuditLog, {
  parse: (request) => Object.fromEntries(new URL(request.url).searchParams),
  respond: ({ format, rows }) => {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
    return new Response(streamAuditExport(rows, format), {
      headers: {
        "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="audit-${stamp}.${format}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
