import { clientEnv } from "@/lib/env/client";
import { env } from "@/lib/env";
import { renderedPerSnapshot, statusResponse, withRequestOutcome } from "@/lib/status";
import { publicStatus } from "@/lib/status/queries";
import { routeQuery } from "@/lib/web";
import { renderStatusDocument, STATUS_DOCUMENT_POLICY } from "./document";

const version = clientEnv.NEXT_PUBLIC_APP_VERSION ?? env.appVersion;

const documentOf = renderedPerSnapshot((snapshot) => renderStatusDocument(snapshot.status, version));

// The public status page: the same snapshot as /api/status (the last known state when the database is down), as a
// script-free document a CDN may keep and revalidate with its ETag. proxy.ts leaves it alone: it carries no nonce.
export const GET = withRequestOutcome(
  // Counted as a page: the page-render latency SLO covers the status page as it did when React rendered it.
  "pages",
  routeQuery(publicStatus, {
    session: false,
    respond: (snapshot, request) => {
      // The page says when it was updated, so its tag names the render too: a 304 never keeps an older "Updated" time.
      const variant = `html-${Date.parse(snapshot.status.generatedAt).toString(36)}`;
      const response = statusResponse(request, snapshot, variant, "text/html; charset=utf-8", () => documentOf(snapshot));
      response.headers.set("Content-Security-Policy", STATUS_DOCUMENT_POLICY);
      return response;
    },
  }),
);

export const dynamic = "force-dynamic";
