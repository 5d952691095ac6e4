import type { Page } from "@playwright/test";
import type { Role } from "../helpers";

/** Who looks: a signed-out visitor, or one of the demo roles. */
export type Viewer = "visitor" | Role;

/** Pages served as documents of their own, outside the app's layout and without its script (the status page). */
export const STANDALONE_DOCUMENTS = ["/status"];

/** Pages anyone can open. */
const PUBLIC = ["/", "/sign-in", "/sign-up", "/status", "/report", "/legal/data-retention", "/no-such-page"];
/** A signed-in person's own pages (and the admin area, which answers 403 to a user). */
const ACCOUNT = ["/", "/status", "/legal/data-retention", "/projects", "/projects/:project", "/projects/trash", "/billing", "/account", "/account/activity", "/account/data", "/account/danger", "/admin", "/no-such-page"];
/** The admin area; support gets some of it read-only and a real 403 for the rest. */
const ADMIN = [
  "/admin/users",
  "/admin/users/:user",
  "/admin/audit",
  "/admin/flags",
  "/admin/flags/new",
  "/admin/flags/payments",
  "/admin/outbox",
  "/admin/breakers",
  "/admin/jobs",
  "/admin/reports",
  "/admin/reports/:report",
  "/admin/incidents",
  "/admin/slo",
  "/admin/readiness",
  "/admin/runbooks",
  "/admin/runbooks/:runbook",
];

/** Every route each viewer can reach, with `:param` where an id is found at run time. */
export const ROUTES: Record<Viewer, string[]> = {
  visitor: PUBLIC,
  user: ACCOUNT,
  support: [...ACCOUNT, ...ADMIN],
  admin: [...ACCOUNT, ...ADMIN],
};

/** Where to find a real id for each `:param`: the first matching link on a list page. */
const SOURCES: Record<string, { list: string; link: RegExp }> = {
  project: { list: "/projects", link: /^\/projects\/[0-9a-f-]{36}$/ },
  user: { list: "/admin/users", link: /^\/admin\/users\/[0-9a-f-]{36}$/ },
  report: { list: "/admin/reports", link: /^\/admin\/reports\/[0-9a-f-]{36}$/ },
  runbook: { list: "/admin/runbooks", link: /^\/admin\/runbooks\/[a-z0-9-]+$/ },
};

/** Replaces `:param` with a real id seen by this viewer; null when there is none to see (e.g. no report yet). */
export async function resolveRoute(page: Page, route: string): Promise<string | null> {
  const param = /:([a-z]+)/.exec(route)?.[1];
  if (!param) return route;
  const source = SOURCES[param]!;
  await page.goto(source.list);
  const hrefs = await page.locator("main a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => source.link.test(h));
  return href ?? null;
}
