import { Card } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date";
import { adminAccountLifecycle } from "@/lib/accounts/queries";
import { loadPage } from "@/lib/web";
import { AdminRestoreButton, CancelDeletionButton, LegalHoldForm, LiftHoldButton, PurgeNowButton } from "./admin-lifecycle-controls";

/** Lifecycle panel on /admin/users/[id]: trash restore, pending deletion, legal hold, purge now. */
export async function AdminUserLifecycle({ userId }: { userId: string }) {
  const state = await loadPage(adminAccountLifecycle, { userId });
  return (
    <Card title="Lifecycle">
      <div className="flex flex-col gap-5 text-sm">
        <section aria-label="Deletion">
          <h3 className="font-medium">Deletion</h3>
          {state.pendingDeletion ? (
            <div className="flex flex-wrap items-center gap-3">
              <p>
                Deletion requested <DateTime value={state.pendingDeletion.requestedAt} precision="day" />; purge after{" "}
                <DateTime value={state.pendingDeletion.purgeAfter} precision="day" />.
              </p>
              <CancelDeletionButton userId={userId} />
            </div>
          ) : (
            <p className="text-slate-600">No deletion pending.</p>
          )}
        </section>
        <section aria-label="Legal hold">
          <h3 className="font-medium">Legal hold</h3>
          {state.activeHold ? (
            <div className="flex flex-wrap items-center gap-3">
              <p>
                <strong>On hold</strong> since <DateTime value={state.activeHold.placedAt} precision="day" />: {state.activeHold.reason}. Purges are blocked.
              </p>
              <LiftHoldButton userId={userId} />
            </div>
          ) : (
            <LegalHoldForm userId={userId} />
          )}
        </section>
        <section aria-label="Trash">
          <h3 className="font-medium">Trash</h3>
          {state.trash.length === 0 ? (
            <p className="text-slate-600">Nothing in the trash.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {state.trash.map((p) => (
                <li key={p.id} className="flex items-center justify-between py-1">
                  <span>
                    {p.name}{" "}
                    <span className="text-xs text-slate-500">
                      deleted <DateTime value={p.deletedAt} precision="day" />
                    </span>
                  </span>
                  <AdminRestoreButton userId={userId} projectId={p.id} name={p.name} />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Purge">
          <h3 className="font-medium">Purge now</h3>
          <p className="mb-2 text-slate-600">Deletes this account&apos;s personal data immediately, skipping the grace period. Irreversible.</p>
          {state.activeHold ? <p>Blocked by the legal hold.</p> : <PurgeNowButton userId={userId} email={state.email} />}
        </section>
      </div>
    </Card>
  );
}
