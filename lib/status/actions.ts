import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { incidents, incidentUpdates, maintenanceWindows, readinessSignoffs } from "@/db/schema";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { invalidatePublicStatus } from "./snapshot";
import { componentIdSchema } from "./components";
import { INCIDENT_IMPACTS, INCIDENT_SEVERITIES, INCIDENT_STATUSES } from "./incidents";
import { attestationKeySchema } from "./readiness";

const title = z.string("Give the incident a title.").trim().min(1, "Give the incident a title.").max(200, "Keep the title under 200 characters.");
const message = z.string("Write what customers should know.").trim().min(1, "Write what customers should know.").max(5_000, "Keep the update under 5,000 characters.");
/** Forms send one value or several for a multi-choice field; either way it is a list of known components. */
const components = z.preprocess(
  (v) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : v),
  z.array(componentIdSchema, "Choose at least one affected component.").min(1, "Choose at least one affected component."),
);

// An incident posted here is public at once on /status and in the feed.
export const createIncident = defineAction({
  name: "status.create_incident",
  permission: "admin:write",
  input: z.object({
    title,
    message,
    components,
    impact: z.enum(INCIDENT_IMPACTS, "Choose minor, major or critical.").default("major"),
    severity: z.enum(INCIDENT_SEVERITIES, "Choose P0–P3.").default("P2"),
    status: z.enum(INCIDENT_STATUSES, "Choose a status.").default("investigating"),
  }),
  handler: async ({ tx, input, user }) => {
    const now = new Date();
    const [row] = await tx
      .insert(incidents)
      .values({
        title: input.title,
        status: input.status,
        impact: input.impact,
        severity: input.severity,
        components: input.components,
        createdBy: user.id,
        publishedAt: now,
        resolvedAt: input.status === "resolved" ? now : null,
      })
      .returning({ id: incidents.id });
    await tx.insert(incidentUpdates).values({ incidentId: row!.id, status: input.status, body: input.message, authorId: user.id });
    return { id: row!.id };
  },
  // The public status snapshot shows it on the next request, not a second later.
  afterCommit: async () => invalidatePublicStatus(),
  audit: {
    action: "incident.create",
    target: ({ data }) => ({ type: "incident", id: data?.id ?? null }),
    metadata: ({ input }) => ({ title: input.title, components: input.components, impact: input.impact, severity: input.severity }),
  },
});

// Posting an update moves the incident on; updating a draft publishes it.
export const updateIncident = defineAction({
  name: "status.update_incident",
  permission: "admin:write",
  input: z.object({ incidentId: z.uuid("Unknown incident."), status: z.enum(INCIDENT_STATUSES, "Choose a status."), message }),
  handler: async ({ tx, input, user }) => {
    const [current] = await tx.select({ status: incidents.status, publishedAt: incidents.publishedAt }).from(incidents).where(eq(incidents.id, input.incidentId));
    if (!current) throw new ActionFailure("not_found", "That incident does not exist.");
    if (current.status === "discarded") throw new ActionFailure("conflict", "That draft was discarded.");
    const now = new Date();
    await tx
      .update(incidents)
      .set({ status: input.status, updatedAt: now, publishedAt: current.publishedAt ?? now, resolvedAt: input.status === "resolved" ? now : null })
      .where(eq(incidents.id, input.incidentId));
    await tx.insert(incidentUpdates).values({ incidentId: input.incidentId, status: input.status, body: input.message, authorId: user.id });
    return { id: input.incidentId, from: current.status, to: input.status };
  },
  // The public status snapshot shows it on the next request, not a second later.
  afterCommit: async () => invalidatePublicStatus(),
  audit: {
    action: "incident.update",
    target: ({ input }) => ({ type: "incident", id: input.incidentId }),
    metadata: ({ data }) => ({ before: { status: data?.from }, after: { status: data?.to } }),
  },
});

// Only a draft Breakwater wrote itself can be discarded; a published incident is resolved instead.
export const discardIncident = defineAction({
  name: "status.discard_incident",
  permission: "admin:write",
  input: z.object({ incidentId: z.uuid("Unknown incident.") }),
  handler: async ({ tx, input }) => {
    const [row] = await tx
      .update(incidents)
      .set({ status: "discarded", updatedAt: new Date() })
      .where(and(eq(incidents.id, input.incidentId), eq(incidents.status, "draft")))
      .returning({ id: incidents.id });
    if (!row) throw new ActionFailure("conflict", "Only a draft incident can be discarded.");
    return row;
  },
  // The public status snapshot shows it on the next request, not a second later.
  afterCommit: async () => invalidatePublicStatus(),
  audit: { action: "incident.discard", target: ({ input }) => ({ type: "incident", id: input.incidentId }) },
});

/** A datetime-local field has no zone; the form labels it UTC, so read it as UTC. */
const utcDate = (message: string) =>
  z.preprocess((v) => (typeof v === "string" && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v}Z` : v), z.coerce.date(message));

export const scheduleMaintenance = defineAction({
  name: "status.schedule_maintenance",
  permission: "admin:write",
  input: z
    .object({
      title: z.string("Give the maintenance a title.").trim().min(1, "Give the maintenance a title.").max(200),
      body: z.string().trim().max(5_000).default(""),
      components,
      startsAt: utcDate("Give a start time."),
      endsAt: utcDate("Give an end time."),
    })
    .refine((v) => v.endsAt > v.startsAt, { path: ["endsAt"], message: "The end must be after the start." }),
  handler: async ({ tx, input, user }) => {
    const [row] = await tx
      .insert(maintenanceWindows)
      .values({ title: input.title, body: input.body, components: input.components, startsAt: input.startsAt, endsAt: input.endsAt, createdBy: user.id })
      .returning({ id: maintenanceWindows.id });
    return row!;
  },
  // The public status snapshot shows it on the next request, not a second later.
  afterCommit: async () => invalidatePublicStatus(),
  audit: {
    action: "maintenance.schedule",
    target: ({ data }) => ({ type: "maintenance", id: data?.id ?? null }),
    metadata: ({ input }) => ({ title: input.title, components: input.components, startsAt: input.startsAt.toISOString(), endsAt: input.endsAt.toISOString() }),
  },
});

// A human attests with a note; there is deliberately no automatic sign-off.
export const signOffAttestation = defineAction({
  name: "status.sign_off_attestation",
  permission: "admin:write",
  input: z.object({
    attestation: attestationKeySchema,
    note: z.string("Say what you checked.").trim().min(3, "Say what you checked.").max(2_000, "Keep the note under 2,000 characters."),
    evidenceUrl: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .trim()
        .max(500)
        .refine((v) => v.startsWith("/") || /^https?:\/\//.test(v), "Give a link starting with https:// or /.")
        .optional(),
    ),
  }),
  handler: async ({ tx, input, user }) => {
    const [row] = await tx
      .insert(readinessSignoffs)
      .values({ attestation: input.attestation, signedBy: user.id, signedByEmail: user.email, note: input.note, evidenceUrl: input.evidenceUrl ?? null })
      .returning({ id: readinessSignoffs.id, signedAt: readinessSignoffs.signedAt });
    return { id: row!.id, signedAt: row!.signedAt };
  },
  audit: {
    action: "readiness.sign_off",
    target: ({ input }) => ({ type: "attestation", id: input.attestation }),
    metadata: ({ input }) => ({ note: input.note, evidenceUrl: input.evidenceUrl ?? null }),
  },
});
