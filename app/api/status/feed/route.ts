import { getPublicStatusShared, incidentsAtomFeed, withRequestOutcome } from "@/lib/status";

// Atom feed of public incidents and their updates.
export const GET = withRequestOutcome("api", async (request: Request) => {
  const status = await getPublicStatusShared();
  const origin = new URL(request.url).origin;
  return new Response(incidentsAtomFeed(status, origin), {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=60" },
  });
});

export const dynamic = "force-dynamic";
