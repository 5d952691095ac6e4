import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { findJob, isCronAuthorized, runJob } from "@/lib/jobs/server";

// Vercel cron calls GET with `Authorization: Bearer $CRON_SECRET`; anything else is refused before any work.
export async function GET(request: NextRequest, { params }: { params: Promise<{ job: string }> }) {
  if (!isCronAuthorized(request.headers.get("authorization"), env.CRON_SECRET)) {
    return NextResponse.json({ error: "unauthorized" }, { status: 401, headers: { "Cache-Control": "no-store" } });
  }
  const { job: name } = await params;
  const job = await findJob(name);
  if (!job) return NextResponse.json({ error: "unknown job" }, { status: 404 });
  const run = await runJob(job, { trigger: "cron" });
  return NextResponse.json(
    { job: run.job, runId: run.id, status: run.status, processed: run.processed, failed: run.failed, skipped: run.skipped, error: run.error },
    { status: run.status === "failed" ? 500 : 200, headers: { "Cache-Control": "no-store" } },
  );
}

export const dynamic = "force-dynamic";
export const maxDuration = 60;
