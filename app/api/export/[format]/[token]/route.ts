import { Readable } from "node:stream";
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db/client";
import { buildJsonExport, buildZipExport, EXPORT_FORMATS, startExportDownload } from "@/lib/accounts";
import { getRequestContext } from "@/lib/auth/session";
import { HTTP_STATUS } from "@/lib/safety/result";

export const dynamic = "force-dynamic";

const params = z.object({ format: z.enum(EXPORT_FORMATS), token: z.string().min(1).max(200) });

/**
 * Streams an export. The single-use link came from the guarded `requestExport`
 * action (password, rate limit, kill switch, no impersonation); spending it
 * goes through the guarded path again, so every check holds here too.
 */
export async function GET(_request: Request, context: { params: Promise<{ format: string; token: string }> }): Promise<Response> {
  const parsed = params.safeParse(await context.params);
  if (!parsed.success) return NextResponse.json({ error: { code: "not_found", message: "Unknown export link." } }, { status: 404 });
  const result = await startExportDownload.run(parsed.data, await getRequestContext());
  if (!result.ok) return NextResponse.json({ error: { code: result.code, message: result.message } }, { status: HTTP_STATUS[result.code] });
  const db = await getDb();
  const day = new Date().toISOString().slice(0, 10);
  const headers = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  if (result.data.format === "json") {
    const { body } = await buildJsonExport(db, result.data.userId);
    return new Response(body, {
      headers: { ...headers, "Content-Type": "application/json; charset=utf-8", "Content-Disposition": `attachment; filename="breakwater-export-${day}.json"` },
    });
  }
  const { stream } = await buildZipExport(db, result.data.userId);
  return new Response(Readable.toWeb(stream) as ReadableStream, {
    headers: { ...headers, "Content-Type": "application/zip", "Content-Disposition": `attachment; filename="breakwater-export-${day}.zip"` },
  });
}
