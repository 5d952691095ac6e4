import "server-only";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { actorLabel, actorOf, describeAuditEvent, describeDevice, userTimeline } from "@/lib/audit";
import { env } from "@/lib/env";
import { currentMaintenance } from "@/lib/maintenance";
import { ActionFailure, defineQuery } from "@/lib/procedures";
import { reporterInfo } from "@/lib/reports";
import { ownPath } from "@/lib/security";
import { ACCESS_CHANGES, accessRequestsFor } from "./access";
import { hasPermission } from "./permissions";

// Support and admins see every account; only admins may change roles, and nobody their own.
export const listUsers = defineQuery({
  name: "users.list",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const rows = await db
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, createdAt: users.createdAt })
      .from(users)
      .orderBy(asc(users.createdAt))
      .limit(200);
    const mayChangeRoles = hasPermission(user.role, "admin:write");
    return rows.map((row) => ({ ...row, roleEditable: mayChangeRoles && row.id !== user.id }));
  },
});

const text = (value: unknown) => (typeof value === "string" ? value : null);

// One account as staff see it: profile, access changes waiting for a second admin, and its whole timeline.
export const userDetail = defineQuery({
  name: "users.get",
  permission: "admin:read",
  input: z.object({ id: z.string().uuid("Unknown user.") }),
  handler: async ({ db, input, user, request }) => {
    const [account] = await db
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, status: users.status, createdAt: users.createdAt })
      .from(users)
      .where(eq(users.id, input.id));
    if (!account) throw new ActionFailure("not_found", "That user doesn't exist.");
    const events = await userTimeline(db, account.id, { limit: 100 });
    const isAdmin = hasPermission(user.role, "admin:write");
    const me = actorLabel(actorOf(request));
    const requests = await accessRequestsFor(db, account.id);
    const offered = (["promote_admin", "suspend", "unsuspend", "revoke_sessions"] as const).filter((kind) =>
      kind === "promote_admin" ? account.role !== "admin" : kind === "suspend" ? account.status !== "suspended" : kind === "unsuspend" ? account.status === "suspended" : true,
    );
    return {
      account,
      access: {
        // Nobody asks for a change to their own access; a second admin decides every one.
        canRequest: isAdmin && account.id !== user.id,
        kinds: offered.map((kind) => ({ kind, label: ACCESS_CHANGES[kind].label })),
        requests: requests.map((r) => ({
          id: r.id,
          label: ACCESS_CHANGES[r.kind].label,
          reason: r.reason,
          requestedBy: r.requestedBy,
          status: r.status,
          createdAt: r.createdAt,
          decidedBy: r.decidedBy,
          decisionNote: r.decisionNote,
          canDecide: isAdmin && r.status === "pending" && r.requestedBy !== me && account.id !== user.id,
        })),
      },
      timeline: events.map((e) => ({
        id: e.id,
        occurredAt: e.occurredAt,
        action: e.action,
        sentence: describeAuditEvent(e),
        actorType: e.actorType,
        impersonatorId: e.impersonatorId,
        reason: text(e.metadata.reason),
        device: e.ip || e.userAgent ? `${describeDevice(e.userAgent)} · ${e.ip ?? "unknown ip"}` : null,
      })),
    };
  },
});


// The sign-in and sign-up pages: someone already signed in goes straight on to where they were headed.
export const signInGate = defineQuery({
  name: "auth.sign_in_gate",
  permission: "public",
  input: z.object({ next: z.unknown().optional() }),
  handler: async ({ user, input, request }) => {
    // Only a path on this app, parsed against its origin, is a destination (no open redirect).
    const next = ownPath(input.next, request.origin?.host ?? null, "/projects");
    return { redirectTo: user ? next : null, next, githubEnabled: env.githubAuthEnabled };
  },
});

/**
 * Everything the page frame shows about who is looking, in one call: the
 * signed-in user and their navigation, the read-only support session (for its
 * banner), what the report dialog shows, and whether analytics may run.
 */
/** The banner every page shows during read-only maintenance; staff also read the operator's reason. */
function maintenanceBanner(maintenance: Awaited<ReturnType<typeof currentMaintenance>>, isStaff: boolean) {
  if (!maintenance.active) return null;
  return { since: maintenance.since, reason: isStaff ? maintenance.reason : null };
}

export const currentViewer = defineQuery({
  name: "auth.current_viewer",
  permission: "public",
  input: z.object({}),
  handler: async ({ user, request }) => {
    const session = request.impersonation;
    const target = session?.target;
    return {
      requestId: request.requestId,
      appVersion: env.appVersion,
      user: user ? { id: user.id, email: user.email } : null,
      showAdmin: user ? hasPermission(user.role, "admin:read") : false,
      supportSession:
        session && target && session.expiresAt
          ? {
              targetId: target.id,
              viewing: target.name ? `${target.name} (${target.email})` : target.email,
              startedBy: session.impersonatorName ?? "support",
              expiresAt: session.expiresAt.toISOString(),
            }
          : null,
      report: await reporterInfo(request),
      maintenance: maintenanceBanner(await currentMaintenance(), user ? hasPermission(user.role, "admin:read") : false),
      // No analytics while staff view an account read-only: it would be recorded as the customer's.
      analyticsAllowed: session === null,
    };
  },
});
