import "server-only";
import { count } from "drizzle-orm";
import { z } from "zod";
import { problemReports, users } from "@/db/schema";
import { pagingSummary } from "@/lib/alerts";
import { PERMISSIONS, type Permission } from "@/lib/auth";
import { defineQuery } from "@/lib/procedures";
import { countLiveProjects } from "@/lib/projects";
import { incidentGlance } from "./glance";
import { sectionsVisibleTo } from "./sections";

// The list of sections is declared once beside the pages (app/admin/sections.ts) and passed in; who sees which is decided here.
const sections = z.object({
  sections: z
    .array(
      z.object({
        href: z.string().startsWith("/admin"),
        label: z.string().min(1),
        description: z.string(),
        permission: z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]]),
      }),
    )
    .max(50),
});

/** The admin navigation: the sections this viewer may open, none for someone who isn't staff. */
export const adminNavigation = defineQuery({
  name: "admin.navigation",
  permission: "public",
  usesDatabase: false,
  input: sections,
  handler: async ({ input, user }) => sectionsVisibleTo(user, input.sections),
});

/** The admin overview: what needs attention now (see ./glance), a few counts and a card per section the viewer may open. */
export const adminOverview = defineQuery({
  name: "admin.overview",
  permission: "admin:read",
  input: sections,
  handler: async ({ db, input, user }) => {
    const [[accounts], liveProjects, [reports], glance] = await Promise.all([
      db.select({ n: count() }).from(users),
      countLiveProjects(db),
      db.select({ n: count() }).from(problemReports),
      incidentGlance(db),
    ]);
    return {
      glance,
      users: accounts?.n ?? 0,
      liveProjects,
      problemReports: reports?.n ?? 0,
      sections: sectionsVisibleTo(user, input.sections),
      paging: pagingSummary(),
    };
  },
});
