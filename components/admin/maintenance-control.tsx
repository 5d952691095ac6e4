import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date";
import { maintenanceControl } from "@/lib/maintenance/queries";
import type { ActionResult } from "@/lib/safety/result";
import { loadPage } from "@/lib/web";
import { MaintenanceForm } from "./maintenance-form";

/**
 * The read-only maintenance switch on the admin overview: what it is now and,
 * for admins who may change it, the form that flips it. Self-contained, so the
 * overview renders it with one line.
 */
export async function MaintenanceControl({ action }: { action: (input: unknown) => Promise<ActionResult<unknown>> }) {
  const { maintenance, canChange } = await loadPage(maintenanceControl, {});
  return (
    <Card title="Read-only maintenance" description="Refuses every change, pauses jobs and shows a banner and a status-page notice. Sign-in and reading keep working.">
      <p className="text-sm" data-testid="maintenance-state">
        {maintenance.active ? (
          <>
            <strong className="text-sky-800">On</strong> since <DateTime value={maintenance.since} /> by {maintenance.by} — {maintenance.reason}
          </>
        ) : (
          <strong>Off</strong>
        )}
      </p>
      {canChange ? <MaintenanceForm on={maintenance.active} action={action} /> : null}
    </Card>
  );
}
