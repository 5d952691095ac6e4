import type { PublicStatus } from "./public-status";
import { STATUS_LABELS } from "./incidents";
import { componentLabel } from "./components";

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

/** Atom 1.0: one entry per incident, its updates newest first in the content. */
export function incidentsAtomFeed(status: Pick<PublicStatus, "incidents" | "generatedAt">, origin: string): string {
  const updated = status.incidents.reduce((max, i) => (i.updatedAt > max ? i.updatedAt : max), status.incidents.length ? status.incidents[0]!.updatedAt : status.generatedAt);
  const entries = status.incidents.map((i) => {
    const affected = i.components.map(componentLabel).join(", ");
    const lines = i.updates.map((u) => `<p><strong>${xml(STATUS_LABELS[u.status] ?? u.status)}</strong> (${xml(u.createdAt)}): ${xml(u.body)}</p>`).join("");
    return `  <entry>
    <id>urn:uuid:${i.id}</id>
    <title>${xml(`${i.title} (${STATUS_LABELS[i.status] ?? i.status})`)}</title>
    <link href="${xml(`${origin}/status#incident-${i.id}`)}"/>
    <published>${xml(i.createdAt)}</published>
    <updated>${xml(i.updatedAt)}</updated>
    <category term="${xml(i.impact)}"/>
    <summary>${xml(`Affects: ${affected}`)}</summary>
    <content type="html">${xml(lines)}</content>
  </entry>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${xml(`${origin}/status`)}</id>
  <title>Breakwater status: incidents</title>
  <link href="${xml(`${origin}/status`)}"/>
  <link rel="self" href="${xml(`${origin}/api/status/feed`)}"/>
  <updated>${xml(updated)}</updated>
  <author><name>Breakwater</name></author>
${entries.join("\n")}
</feed>
`;
}
