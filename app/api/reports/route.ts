import { submitProblemReport } from "@/lib/reports/actions";
import { guardedRoute } from "@/lib/web";

// A route handler rather than a server action: it keeps working from the root error page, where the app's tree has crashed.
// Like every mutating route it reads only JSON from this app's own pages (lib/safety/next.ts, the same-origin link).
export const POST = guardedRoute(submitProblemReport);
