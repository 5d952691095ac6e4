import { incidentsAtomFeed, statusResponse, withRequestOutcome } from "@/lib/status";
import { publicStatus } from "@/lib/status/queries";
import { routeQuery } from "@/lib/web";

// Atom feed of public incidents and their updates, from the same snapshot as /status.
export const GET = withRequestOutcome(
  "api",
  routeQuery(publicStatus, {
    session: false,
    respond: (snapshot, request) =>
      statusResponse(request, snapshot, "feed", "application/atom+xml; charset=utf-8", () => incidentsAtomFeed(snapshot.status, new URL(request.url).origin)),
  }),
);

export const dynamic = "force-dynamic";
