import { readinessResponse, withRequestOutcome } from "@/lib/status";
import { readinessProbe } from "@/lib/status/queries";
import { routeQuery } from "@/lib/web";

// Readiness: 200 when this instance can serve (database reachable), 503 when not; per-component status and latency.
export const GET = withRequestOutcome("api", routeQuery(readinessProbe, { session: false, respond: readinessResponse }));

export const dynamic = "force-dynamic";
