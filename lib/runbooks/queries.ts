import "server-only";
import { z } from "zod";
import { hasPermission } from "@/lib/auth";
import { ActionFailure, defineQuery } from "@/lib/procedures";
import { liveOperationalState } from "@/lib/status";
import { codePlacesFor } from "./code-notes";
import { isStale, loadRunbook, loadRunbooks, SLUG, STALE_AFTER_DAYS } from "./loader";
import { renderRunbook, type Control } from "./render";

/** Every runbook, policy, template, post-mortem and support macro, with whether it is overdue for review. */
export const runbookIndex = defineQuery({
  name: "runbooks.index",
  permission: "admin:read",
  input: z.object({}),
  handler: async () => {
    const now = new Date();
    const runbooks = await loadRunbooks();
    return {
      staleAfterDays: STALE_AFTER_DAYS,
      runbooks: runbooks.map((r) => ({ slug: r.slug, kind: r.kind, title: r.title, summary: r.summary, owner: r.owner, severity: r.severity, lastReviewed: r.last_reviewed, stale: isStale(r, now) })),
    };
  },
});

const slugInput = z.object({ slug: z.string().regex(SLUG).max(200) });

async function findRunbook(slug: string) {
  const runbook = await loadRunbook(slug);
  if (!runbook) throw new ActionFailure("not_found", "There is no runbook with that name.");
  return runbook;
}

/** A runbook's title, for the page's metadata. */
export const runbookTitle = defineQuery({
  name: "runbooks.title",
  permission: "admin:read",
  input: slugInput,
  handler: async ({ input }) => (await findRunbook(input.slug)).title,
});

type Live = Awaited<ReturnType<typeof liveOperationalState>>;

/** A control marker in a runbook, with the live state of what it names (null: that name is unknown here). */
function withLiveState(control: Control, live: Live) {
  if (control.kind === "kill_switch") return { kind: control.kind, name: control.name, on: live.killSwitches.get(control.name) ?? null };
  if (control.kind === "breaker") {
    const b = live.breakers.get(control.name);
    return { kind: control.kind, name: control.name, breaker: b ? { state: b.state, forced: b.forced } : null };
  }
  const j = live.jobs.get(control.name);
  return { kind: control.kind, name: control.name, status: j?.status ?? "unknown", lastSuccessAt: j?.lastSuccessAt ?? null };
}

/** One runbook, rendered, with live controls for the kill switches, breakers and jobs it names. Only admins act on them. */
export const showRunbook = defineQuery({
  name: "runbooks.show",
  permission: "admin:read",
  input: slugInput,
  handler: async ({ input, user }) => {
    const runbook = await findRunbook(input.slug);
    const live = await liveOperationalState();
    const segments = renderRunbook(runbook.body).map((s) => (s.type === "html" ? s : { type: s.type, control: withLiveState(s.control, live) }));
    return {
      title: runbook.title,
      owner: runbook.owner,
      severity: runbook.severity,
      lastReviewed: runbook.last_reviewed,
      stale: isStale(runbook),
      canAct: hasPermission(user.role, "admin:write"),
      concerns: [
        ...runbook.flags.map((n) => ({ label: `kill switch ${n}`, href: "/admin/flags" })),
        ...runbook.breakers.map((n) => ({ label: `breaker ${n}`, href: "/admin/breakers" })),
        ...runbook.jobs.map((n) => ({ label: `job ${n}`, href: "/admin/jobs" })),
        ...runbook.slos.map((n) => ({ label: `SLO ${n}`, href: "/admin/slo" })),
      ],
      segments,
      // The code whose runbook notes (INCIDENT / FAILURE MODE / SAFE TO RETRY / OPERATOR ACTION) point here.
      codePlaces: codePlacesFor(input.slug).map((n, id) => ({ ...n, id, what: n.subject ? `${n.kind} ${n.subject}` : n.kind })),
    };
  },
});
