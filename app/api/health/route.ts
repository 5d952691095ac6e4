import { NextResponse } from "next/server";
import { withRequestOutcome } from "@/lib/status";
import { livenessProbe } from "@/lib/status/queries";
import { routeQuery } from "@/lib/web";

// Liveness: answers without touching any dependency, so a slow database can't make the process look dead.
export const GET = withRequestOutcome(
  "api",
  routeQuery(livenessProbe, { session: false, respond: (liveness) => NextResponse.json(liveness, { headers: { "Cache-Control": "no-store" } }) }),
);

export const dynamic = "force-dynamic";
