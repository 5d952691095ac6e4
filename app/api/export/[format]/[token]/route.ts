import { exportDownload } from "@/lib/accounts/queries";
import { routeQuery } from "@/lib/web";

export const dynamic = "force-dynamic";

/**
 * Streams an export. The single-use link came from the guarded `requestExport`
 * action (password, rate limit, kill switch, no impersonation); spending it
 * goes through the guarded path again, so every check holds here too.
 */
export const GET = routeQuery(exportDownload, {
  parse: (_request, params) => ({ format: params.format, token: params.token }),
  respond: (file) =>
    new Response(file.body, {
      headers: {
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
        "Content-Type": file.contentType,
        "Content-Disposition": `attachment; filename="${file.filename}"`,
      },
    }),
});
