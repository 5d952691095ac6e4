import { redirect } from "next/navigation";
import { getAnonymousRequestContext, getInactiveAccount, getRequestContext } from "@/lib/auth/next";
import { nextAdapters } from "@/lib/safety/next";
import { ROUTES_OUTCOME, withRequestOutcome } from "@/lib/status/outcomes";

/**
 * The procedures as Next.js entry points, bound to the signed-in session:
 * `serverAction` and `guardedRoute` for mutations, `loadPage` and
 * `routeQuery` for reads. Routes use nothing else to reach the domain.
 */
export const { serverAction, guardedRoute, routeQuery, loadPage, webhookRoute } = nextAdapters({
  context: getRequestContext,
  anonymousContext: getAnonymousRequestContext,
  // A deactivated or closing account has a valid session but may only see the way back.
  onUnauthenticated: async () => redirect((await getInactiveAccount()) ? "/account/deactivated" : "/sign-in"),
  // Every route handler's outcome counts towards API availability; the key API routes wrap themselves as "api" (latency too).
  observeRoute: (handler) => withRequestOutcome(ROUTES_OUTCOME, handler) as typeof handler,
});
