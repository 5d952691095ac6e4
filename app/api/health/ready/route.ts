import { NextResponse } from "next/server";
import { checkReadinessShared, withRequestOutcome } from "@/lib/status";

// Readiness: 200 when this instance can serve (database reachable), 503 when not; per-component status and latency.
export const GET = withRequestOutcome("api", async () => {
  const readiness = await checkReadinessShared();
  return NextResponse.json(readiness, { status: readiness.status === "ready" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
});

export const dynamic = "force-dynamic";
