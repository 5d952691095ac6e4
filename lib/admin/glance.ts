import "server-only";
import { openAlertsWithChannels } from "@/lib/alerts";
import { BREAKER_NAMES, getBreaker } from "@/lib/breakers";
import type { Executor } from "@/lib/database";
import { getKillSwitchStates } from "@/lib/flags";
import { logger } from "@/lib/observability";
import { burningSlos, listOpenIncidents, STATUS_LABELS } from "@/lib/status";

/** One part of the glance, or null when it could not be read: the overview still shows the rest. */
async function part<T>(name: string, read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    logger.error({ err: error, part: name }, "admin overview: a part could not be read");
    return null;
  }
}

async function openBreakers() {
  const breakers = await Promise.all(
    BREAKER_NAMES.map(async (name) => {
      const breaker = getBreaker(name);
      await breaker.sync();
      return breaker.snapshot();
    }),
  );
  return breakers
    // Forced closed lets calls through whatever the state says: not open.
    .filter((b) => b.forced === "open" || (b.forced !== "closed" && b.state !== "closed"))
    .map((b) => ({ name: b.name, state: b.forced === "open" ? "Forced open" : b.state === "half_open" ? "Half open: trying again" : "Open" }));
}

/**
 * What an operator needs at the start of an incident, each read on its own:
 * what is off (kill switches), what is open (breakers), what is burning
 * (SLOs over their alert burn rate), open incidents, and who is being paged
 * (open alerts and the channels they went to).
 */
export async function incidentGlance(db: Executor, now = new Date()) {
  const [switches, breakers, slos, incidents, paged] = await Promise.all([
    part("kill switches", async () => (await getKillSwitchStates()).filter((s) => !s.on).map((s) => ({ key: s.key, description: s.description, reenableAt: s.reenableAt }))),
    part("breakers", openBreakers),
    part("slos", async () =>
      (await burningSlos(db, now)).map((s) => ({
        id: s.id,
        title: s.title,
        sentence: `${s.severity === "page" ? "Burning fast" : "Burning"}: ${s.burnRate.toFixed(1)}× the sustainable rate, ${Math.max(0, Math.round(s.budgetRemaining * 100))} % of the budget left`,
      })),
    ),
    part("incidents", async () => (await listOpenIncidents(db)).map((i) => ({ ...i, statusLabel: STATUS_LABELS[i.status] ?? i.status }))),
    part("alerts", () => openAlertsWithChannels(db)),
  ]);
  return { off: switches, open: breakers, burning: slos, incidents, paged };
}

export type IncidentGlance = Awaited<ReturnType<typeof incidentGlance>>;
