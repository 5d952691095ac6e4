import { NextResponse } from "next/server";
import { env } from "@/lib/env";
import { withRequestOutcome } from "@/lib/status";

// Liveness: answers without touching any dependency, so a slow database can't make the process look dead.
export const GET = withRequestOutcome("api", () =>
  NextResponse.json({ status: "ok", version: env.appVersion, time: new Date().toISOString() }, { headers: { "Cache-Control": "no-store" } }),
);

export const dynamic = "force-dynamic";
