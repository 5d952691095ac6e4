import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { findJob, isCronAuthorized, runJob } from "@/lib/jobs/server";
import { flushSentry } from "@/lib/observability";
import { failureOf, HTTP_STATUS } from "@/lib/safety/result";

// Vercel cron calls GET with `Authorization: Bearer $CRON_SECRET`; anything else is refused before any work.
// `npm run dev` runs a local scheduler that calls this same route with the same secret, labelling its calls
// `x-cron-trigger: local-scheduler` so /admin/jobs can say who ran them. Production records every call as cron.
export async function GET(request: NextRequest, { params }: { params: Promise<{ job: string }> }) {
  if (!isCronAuthorized(request.headers.get("authorization"), env.CRON_SECRET)) {
    return NextResponse.json({ error: "unauthorized" }, { status: 401, headers: { "Cache-Control": "no-store" } });
  }
  const { job: name } = await params;
  const job = findJob(name);
  if (!job) return NextResponse.json({ error: "unknown job" }, { status: 404 });
  const local = env.appEnv !== "production" && request.headers.get("x-cron-trigger") === "local-scheduler";
  let run;
  try {
    run = await runJob(job, { trigger: local ? "local_scheduler" : "cron" });
  } catch (error) {
    // The run could not even be recorded (the database is down): say so, as the guarded routes do.
    const failure = failureOf(error);
    if (!failure) throw error;
    return NextResponse.json({ error: { code: failure.code, message: failure.message } }, { status: HTTP_STATUS[failure.code], headers: { "Cache-Control": "no-store" } });
  } finally {
    // The run's Crons check-ins (and any error) leave before the response does: a serverless function may be
    // frozen once it has answered. Awaited rather than `after()`: no one waits on a cron's answer, and this
    // needs nothing from the platform.
    await flushSentry();
  }
  return NextResponse.json(
    { job: run.job, runId: run.id, status: run.status, processed: run.processed, failed: run.failed, skipped: run.skipped, error: run.error },
    { status: run.status === "failed" ? 500 : 200, headers: { "Cache-Control": "no-store" } },
  );
}

export const dynamic = "force-dynamic";
export const maxDuration = 60;
