import { RunbookLink } from "@/components/runbooks/runbook-link";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { DateTime } from "@/components/ui/date";
import { KillSwitchToggle, type SetKillSwitch } from "./kill-switch-toggle";

export type KillSwitchRow = {
  key: string;
  on: boolean;
  description: string;
  /** `FLAG_<KEY>=<value>` when this server's environment overrides the stored state. */
  environmentOverride: string | null;
  reenableAt: string | null;
  updatedAt: string | null;
  /** Who made the last change (an email, or the job or tool) and the reason they gave. */
  who: string | null;
  why: string | null;
  runbook?: { slug: string; title: string } | null;
};

/**
 * Every kill switch as one table, for the page an operator opens during an
 * incident: what is off reads first, with who turned it off, when and why;
 * admins flip one through a dialog that asks for the reason.
 */
export function KillSwitchPanel({ rows, canChange, action }: { rows: KillSwitchRow[]; canChange: boolean; action: SetKillSwitch }) {
  return (
    <DataTable
      label="Kill switches"
      rows={rows}
      rowKey={(row) => row.key}
      pageSize={50}
      columns={[
        {
          key: "switch",
          header: "Kill switch",
          sortValue: (row) => row.key,
          cell: (row) => (
            <>
              <span className="font-mono">{row.key}</span>
              <span className="block text-xs text-muted-foreground">{row.description}</span>
              <RunbookLink runbook={row.runbook ?? null} />
            </>
          ),
        },
        {
          key: "state",
          header: "State",
          sortValue: (row) => (row.on ? 1 : 0),
          cell: (row) => (
            <>
              <Badge tone={row.on ? "success" : "danger"}>{row.on ? "On" : "Off"}</Badge>
              {row.environmentOverride ? <OverriddenByEnvironment override={row.environmentOverride} /> : null}
              {row.reenableAt ? (
                <span className="block text-xs text-muted-foreground">
                  Back on at <DateTime value={row.reenableAt} />
                </span>
              ) : null}
            </>
          ),
        },
        {
          key: "changed",
          header: "Last change",
          className: "text-xs whitespace-nowrap",
          sortValue: (row) => row.updatedAt ?? "",
          cell: (row) => (row.updatedAt ? <DateTime value={row.updatedAt} /> : "Never changed"),
        },
        { key: "who", header: "Who", className: "text-xs break-words", cell: (row) => row.who ?? "—" },
        { key: "why", header: "Why", className: "min-w-40 text-xs", cell: (row) => row.why ?? "—" },
        ...(canChange ? [{ key: "change", header: "Change", sortable: false, cell: (row: KillSwitchRow) => <KillSwitchToggle row={row} action={action} /> }] : []),
      ]}
    />
  );
}

/** A FLAG_* variable decides this flag on this server, whatever the stored state says. */
export function OverriddenByEnvironment({ override }: { override: string }) {
  return (
    <span className="block text-xs font-semibold text-amber-900">
      overridden by environment <code className="font-normal">{override}</code>
    </span>
  );
}
