import { renderedPerSnapshot, statusResponse, withRequestOutcome } from "@/lib/status";
import { publicStatus } from "@/lib/status/queries";
import { routeQuery } from "@/lib/web";

const jsonOf = renderedPerSnapshot((snapshot) => JSON.stringify(snapshot.status));

// Public JSON status: the same snapshot as /status (the last known state when the database is down), cacheable by a CDN.
export const GET = withRequestOutcome(
  "api",
  routeQuery(publicStatus, {
    session: false,
    respond: (snapshot, request) => statusResponse(request, snapshot, "", "application/json", () => jsonOf(snapshot)),
  }),
);

export const dynamic = "force-dynamic";
