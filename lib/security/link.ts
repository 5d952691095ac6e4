import "server-only";
import { defineLink, fail } from "@/lib/safety";
import { fromOwnPage } from "./index";

/**
 * Mutations from a browser must come from this app's own pages: a
 * same-origin Origin header, or `Sec-Fetch-Site: same-origin` where a browser
 * sent no Origin. SameSite=Lax cookies do not stop a page on another port of
 * the same host (same site), nor a request whose Origin was stripped; this
 * does. Jobs, the ops CLI and tests do not arrive through a browser.
 */
export const requireSameOrigin = defineLink({
  name: "same origin",
  around: async (call, next) => {
    const { via } = call.request;
    if (call.kind !== "action" || (via !== "server_action" && via !== "route")) return next();
    if (fromOwnPage(call.request.origin)) return next();
    return fail("forbidden", "This request didn't come from Breakwater's own pages, so nothing was changed. Reload the page and try again.");
  },
});
