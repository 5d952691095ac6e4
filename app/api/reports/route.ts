import { submitProblemReport } from "@/lib/reports";
import { guardedRoute } from "@/lib/safety/next";

// A route handler rather than a server action: it keeps working from the root error page, where the app's tree has crashed.
// Only JSON bodies are read: a cross-site form can't send application/json without a CORS preflight, which fails,
// so another site can't file reports in a signed-in visitor's name.
export const POST = guardedRoute(submitProblemReport, async (request) =>
  request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase() === "application/json" ? request.json().catch(() => null) : null,
);
