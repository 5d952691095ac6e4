import "server-only";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { getDb } from "@/lib/database";
import type { Incident } from "@/db/schema";
import { currentMaintenance } from "@/lib/maintenance";
import { logger } from "@/lib/observability";
import { deriveComponents, overallState, type ComponentId, type ComponentState, type DerivedComponent, type Signals } from "./components";
import { pingDatabase } from "./ping";
import { listMaintenance, listPublicIncidents, uptimeBars, type ComponentUptime, type IncidentWithUpdates } from "./reads";
import { allJobFreshness } from "./live";
import { outsideView, type OutsideView } from "./probe";
import { breakerSignals, killSwitchStates } from "./sources";
import { env } from "@/lib/env";
import { withTimeout } from "@/lib/breakers";

const STATUS_PING_TIMEOUT_MS = 1_000;

/** Everything /status, /api/status and the feed show; serialisable so it can be kept as the last known state. */
export type PublicStatus = {
  generatedAt: string;
  /** Set when the database could not be read and the rest comes from the last known state. */
  staleSince: string | null;
  overall: ComponentState;
  components: (DerivedComponent & { uptime: number | null; days: ComponentUptime["days"]; unknownMinutes: number })[];
  incidents: PublicIncident[];
  maintenance: { id: string; title: string; body: string; components: string[]; startsAt: string; endsAt: string }[];
  /** Uptime as a probe from outside saw it (lib/status/probe.ts), so the page is not the app grading itself. */
  outside: OutsideView | null;
  /** Read-only maintenance is on: since when. The operator's reason stays internal. */
  readOnlyMaintenance: { since: string } | null;
};

export type PublicIncident = Pick<Incident, "id" | "title" | "status" | "impact" | "components"> & {
  createdAt: string;
  resolvedAt: string | null;
  updatedAt: string;
  updates: { status: string; body: string; createdAt: string }[];
};

function toPublicIncident(i: IncidentWithUpdates): PublicIncident {
  return {
    id: i.id,
    title: i.title,
    status: i.status,
    impact: i.impact,
    components: i.components,
    createdAt: i.createdAt.toISOString(),
    resolvedAt: i.resolvedAt?.toISOString() ?? null,
    updatedAt: i.updatedAt.toISOString(),
    updates: i.updates.map((u) => ({ status: u.status, body: u.body, createdAt: u.createdAt.toISOString() })),
  };
}

/**
 * The last state this instance rendered, kept in memory and on local disk so
 * /status still answers (from its last known state) when the database is down,
 * including right after a restart. Only public data is kept.
 */
const globalForStatus = globalThis as unknown as { breakwaterLastStatus?: PublicStatus };

export function snapshotFile(): string {
  // One file per database this instance serves (never a path operation on env input: keeps bundler tracing narrow).
  const identity = `${process.cwd()}|${env.DATABASE_URL ?? env.PGLITE_DIR}`;
  let hash = 0;
  for (const ch of identity) hash = (hash * 31 + ch.charCodeAt(0)) | 0;
  return path.join(os.tmpdir(), `breakwater-status-${(hash >>> 0).toString(36)}.json`);
}

async function remember(status: PublicStatus, file: string): Promise<void> {
  globalForStatus.breakwaterLastStatus = status;
  await fs.writeFile(file, JSON.stringify(status)).catch((error: unknown) => logger.warn({ err: error }, "could not save the status snapshot"));
}

async function lastKnown(file: string): Promise<PublicStatus | null> {
  if (globalForStatus.breakwaterLastStatus) return globalForStatus.breakwaterLastStatus;
  try {
    return JSON.parse(await fs.readFile(file, "utf8")) as PublicStatus;
  } catch {
    return null;
  }
}

/** Forgets the in-memory copy (tests simulate a fresh instance with it). */
export function forgetLastStatus(): void {
  globalForStatus.breakwaterLastStatus = undefined;
}

function impactByComponent(list: IncidentWithUpdates[]): Signals["incidentImpact"] {
  const order = ["minor", "major", "critical"] as const;
  const out: Signals["incidentImpact"] = {};
  for (const i of list) {
    if (i.status === "resolved") continue;
    const impact = i.impact as (typeof order)[number];
    for (const c of i.components as ComponentId[]) {
      const prev = out[c];
      if (!prev || order.indexOf(impact) > order.indexOf(prev)) out[c] = impact;
    }
  }
  return out;
}

export async function getPublicStatus(options: { now?: Date; file?: string } = {}): Promise<PublicStatus> {
  const now = options.now ?? new Date();
  const file = options.file ?? snapshotFile();
  try {
    // A hung database must not hang the status page: a second without an answer and it shows the last known state.
    await withTimeout(pingDatabase(), STATUS_PING_TIMEOUT_MS, "status database ping");
    const db = await getDb();
    const [killSwitches, breakers, jobs, incidentRows, maintenanceRows, uptime, outside, readOnly] = await Promise.all([
      killSwitchStates(),
      breakerSignals().catch(() => ({ states: {}, storeOutages: [] })),
      allJobFreshness(options.now).catch(() => []),
      listPublicIncidents(db, now),
      listMaintenance(db, now),
      uptimeBars(db, now),
      outsideView(db, now),
      currentMaintenance(),
    ]);
    const activeMaintenance = maintenanceRows.filter((m) => m.startsAt <= now);
    const components = deriveComponents({
      databaseOk: true,
      killSwitches,
      breakers: breakers.states,
      breakerStoreOutages: breakers.storeOutages.filter((o) => o.refusesCalls).map((o) => o.name),
      missedJobs: jobs.filter((j) => j.missed).map((j) => j.name),
      maintenance: [...new Set(activeMaintenance.flatMap((m) => m.components as ComponentId[]))],
      incidentImpact: impactByComponent(incidentRows),
    });
    const status: PublicStatus = {
      generatedAt: now.toISOString(),
      staleSince: null,
      overall: overallState(components),
      components: components.map((c) => {
        const u = uptime.find((x) => x.component === c.id);
        return { ...c, uptime: u?.uptime ?? null, days: u?.days ?? [], unknownMinutes: u?.unknownMinutes ?? 0 };
      }),
      incidents: incidentRows.map(toPublicIncident),
      maintenance: maintenanceRows.map((m) => ({
        id: m.id,
        title: m.title,
        body: m.body,
        components: m.components,
        startsAt: m.startsAt.toISOString(),
        endsAt: m.endsAt.toISOString(),
      })),
      outside,
      readOnlyMaintenance: readOnly.active ? { since: readOnly.since } : null,
    };
    await remember(status, file);
    return status;
  } catch (error) {
    logger.warn({ err: error }, "status: database unavailable, serving the last known state");
    const previous = await lastKnown(file);
    const components = deriveComponents({ databaseOk: false, killSwitches: {}, breakers: {}, missedJobs: [], maintenance: [], incidentImpact: {} });
    return {
      generatedAt: now.toISOString(),
      staleSince: previous?.generatedAt ?? now.toISOString(),
      overall: overallState(components),
      components: components.map((c) => {
        const p = previous?.components.find((x) => x.id === c.id);
        return { ...c, uptime: p?.uptime ?? null, days: p?.days ?? [], unknownMinutes: p?.unknownMinutes ?? 0 };
      }),
      incidents: previous?.incidents ?? [],
      maintenance: previous?.maintenance ?? [],
      outside: previous?.outside ?? null,
      readOnlyMaintenance: previous?.readOnlyMaintenance ?? null,
    };
  }
}

