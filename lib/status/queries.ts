import "server-only";
import { z } from "zod";
import { hasPermission } from "@/lib/auth";
import { env } from "@/lib/env";
import { lastKnownMaintenance } from "@/lib/maintenance";
import { defineQuery } from "@/lib/procedures";
import { COMPONENTS, COMPONENT_IDS, componentLabel } from "./components";
import { checkReadinessShared } from "./health";
import { INCIDENT_IMPACTS, INCIDENT_SEVERITIES, INCIDENT_STATUSES } from "./incidents";
import { currentStatusSnapshot } from "./snapshot";
import { listAdminIncidents, listMaintenance, recentAlerts } from "./reads";
import { attestationStatuses, latestSignoffs, summariseReadiness } from "./readiness";
import { sloReport } from "./slo-report";

/** The incidents page: drafts waiting for a decision, posted incidents with their updates, scheduled maintenance. */
export const incidentsOverview = defineQuery({
  name: "status.incidents",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const [list, maintenance] = await Promise.all([listAdminIncidents(db), listMaintenance(db)]);
    const canEdit = hasPermission(user.role, "admin:write");
    // A resolved or discarded incident takes no more updates.
    const incidents = list.map((i) => ({ ...i, affects: i.components.map(componentLabel).join(", "), canUpdate: canEdit && i.status !== "resolved" && i.status !== "discarded" }));
    return {
      canEdit,
      drafts: incidents.filter((i) => i.status === "draft"),
      incidents: incidents.filter((i) => i.status !== "draft"),
      maintenance,
      choices: { components: COMPONENT_IDS.map((id) => ({ id, label: COMPONENTS[id].label })), impacts: INCIDENT_IMPACTS, severities: INCIDENT_SEVERITIES, statuses: INCIDENT_STATUSES },
    };
  },
});

/** The SLO page: every objective's budget and burn, and the alerts that fired. */
export const sloOverview = defineQuery({
  name: "status.slo",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ db }) => {
    const [{ reports, policyInForce }, alerts] = await Promise.all([sloReport(db), recentAlerts(db)]);
    return { reports, policyInForce, alerts };
  },
});

/** The readiness page: each attestation's state, the summary line, and whether the error-budget policy is in force. */
export const readinessOverview = defineQuery({
  name: "status.readiness_overview",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const [latest, { policyInForce }] = await Promise.all([latestSignoffs(db), sloReport(db)]);
    const attestations = attestationStatuses(latest);
    return { canSign: hasPermission(user.role, "admin:write"), attestations, summary: summariseReadiness(attestations), policyInForce };
  },
});

/*
 * The public reads below must answer while the database is down (the status
 * page from its last known state, readiness with a 503): they declare no
 * database handle, and the helpers they call open and time out their own.
 */

/** Everything /status, /api/status and the incident feed show: this instance's shared snapshot and its ETag. */
export const publicStatus = defineQuery({
  name: "status.public",
  permission: "public",
  usesDatabase: false,
  input: z.object({}),
  handler: () => currentStatusSnapshot(),
});

/** Readiness: can this instance serve traffic? */
export const readinessProbe = defineQuery({
  name: "status.readiness",
  permission: "public",
  usesDatabase: false,
  input: z.object({}),
  handler: () => checkReadinessShared(),
});

/** Liveness: answers without touching any dependency, so a slow database can't make the process look dead. */
export const livenessProbe = defineQuery({
  name: "status.liveness",
  permission: "public",
  usesDatabase: false,
  input: z.object({}),
  // `maintenance`: as this instance last read it (no I/O here); in read-only maintenance the process is alive, not down.
  handler: async () => ({ status: "ok" as const, maintenance: lastKnownMaintenance().active, version: env.appVersion, time: new Date().toISOString() }),
});
