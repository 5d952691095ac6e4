import { DateTime } from "@/components/ui/date";

/** Read-only maintenance as the viewer query describes it: since when, and the reason for staff. */
export type MaintenanceBannerState = { since: string; reason: string | null };

/** Shown on every page while read-only maintenance is on: the app still reads, nothing can be changed. */
export function MaintenanceBanner({ maintenance }: { maintenance: MaintenanceBannerState | null }) {
  if (!maintenance) return null;
  return (
    <div role="region" aria-label="Maintenance" data-testid="maintenance-banner" className="bg-sky-100 text-sky-950 ring-1 ring-sky-300">
      <p className="mx-auto max-w-5xl px-4 py-2 text-sm">
        <strong>Read-only maintenance</strong> since <DateTime value={maintenance.since} />: you can sign in and look around, but nothing can be changed until it ends.
        {maintenance.reason ? <span> Reason: {maintenance.reason}</span> : null}
      </p>
    </div>
  );
}
