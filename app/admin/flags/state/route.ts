import { NextResponse } from "next/server";
import { flagState } from "@/lib/flags/queries";
import { routeQuery } from "@/lib/web";

// Read per request, never cached: this is how an operator (or the propagation test) sees what an instance serves.
export const dynamic = "force-dynamic";

export const GET = routeQuery(flagState, { respond: (state) => NextResponse.json(state, { headers: { "Cache-Control": "no-store" } }) });
