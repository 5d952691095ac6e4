import { NextResponse } from "next/server";
import { getPublicStatusShared, withRequestOutcome } from "@/lib/status";

// Public JSON status: the same data as /status, from the last known state when the database is down.
export const GET = withRequestOutcome("api", async () => {
  const status = await getPublicStatusShared();
  return NextResponse.json(status, { headers: { "Cache-Control": "public, max-age=15" } });
});

export const dynamic = "force-dynamic";
