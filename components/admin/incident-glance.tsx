import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date";
import type { IncidentGlance } from "@/lib/admin";

/** One question of the glance: its answer as a short list, or the sentence that says all is well (or that it could not be read). */
function GlanceCard<T>({ title, href, linkLabel, items, calm, children }: { title: string; href: string; linkLabel: string; items: T[] | null; calm: string; children: (item: T) => ReactNode }) {
  const attention = items !== null && items.length > 0;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          {title}
          {items === null ? <Badge tone="warning">Unknown</Badge> : <Badge tone={attention ? "danger" : "success"}>{items.length}</Badge>}
        </span>
      }
      actions={
        <Link href={href} className="text-sm text-sky-800 underline">
          {linkLabel}
        </Link>
      }
    >
      {items === null ? (
        <p className="text-sm text-amber-900">Could not be read right now; open the page for details.</p>
      ) : attention ? (
        <ul className="flex flex-col gap-2 text-sm">{items.map(children)}</ul>
      ) : (
        <p className="text-sm text-muted-foreground">{calm}</p>
      )}
    </Card>
  );
}

/** The admin overview's first screen during an incident: what is off, open, burning, declared, and who is being paged. */
export function IncidentGlancePanel({ glance }: { glance: IncidentGlance }) {
  return (
    <section aria-label="At a glance" className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
      <GlanceCard title="Switched off" href="/admin/flags" linkLabel="Kill switches" items={glance.off} calm="Every kill switch is on.">
        {(s) => (
          <li key={s.key}>
            <span className="font-mono">{s.key}</span> <span className="text-muted-foreground">{s.description}</span>
            {s.reenableAt ? (
              <span className="block text-xs text-muted-foreground">
                Back on at <DateTime value={s.reenableAt} />
              </span>
            ) : null}
          </li>
        )}
      </GlanceCard>
      <GlanceCard title="Breakers open" href="/admin/breakers" linkLabel="Breakers" items={glance.open} calm="Every breaker is closed.">
        {(b) => (
          <li key={b.name}>
            <span className="font-mono">{b.name}</span> <span className="text-muted-foreground">{b.state}</span>
          </li>
        )}
      </GlanceCard>
      <GlanceCard title="Error budgets burning" href="/admin/slo" linkLabel="SLOs" items={glance.burning} calm="No error budget is burning faster than it can last.">
        {(s) => (
          <li key={s.id}>
            {s.title}
            <span className="block text-xs text-muted-foreground">{s.sentence}</span>
          </li>
        )}
      </GlanceCard>
      <GlanceCard title="Open incidents" href="/admin/incidents" linkLabel="Incidents" items={glance.incidents} calm="No open incidents.">
        {(i) => (
          <li key={i.id}>
            {i.title}
            <span className="block text-xs text-muted-foreground">
              {i.statusLabel} · {i.severity} · since <DateTime value={i.createdAt} />
            </span>
          </li>
        )}
      </GlanceCard>
      <GlanceCard title="Being paged" href="/admin/alerts" linkLabel="Alerts" items={glance.paged} calm="Nobody is being paged.">
        {(a) => (
          <li key={a.id}>
            {a.title}
            <span className="block text-xs text-muted-foreground">
              {a.channels.length > 0 ? a.channels.map((c) => `${c.destination} (${c.status})`).join(", ") : "Not sent anywhere: no alert destination is configured."} · since{" "}
              <DateTime value={a.raisedAt} />
            </span>
          </li>
        )}
      </GlanceCard>
    </section>
  );
}
