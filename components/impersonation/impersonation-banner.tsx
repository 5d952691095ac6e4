import type { ActionResult } from "@/lib/safety/result";
import { BannerControls } from "./banner-controls";

/** The active read-only support session, as the viewer query describes it. */
export type SupportSessionBanner = { targetId: string; viewing: string; startedBy: string; expiresAt: string };

type Props = {
  session: SupportSessionBanner | null;
  exit: (input: unknown) => Promise<ActionResult<unknown>>;
};

/**
 * Shown on every page while a read-only support session lasts. The server
 * decides (from the signed cookie and the session row) and records each
 * page viewed as it renders it; the client part only counts down and offers Exit.
 */
export function ImpersonationBanner({ session, exit }: Props) {
  if (!session) return <div id="top-banner" />;
  return (
    <div id="top-banner" role="region" aria-label="Support session" className="bg-amber-100 text-amber-950 ring-1 ring-amber-300">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-2 gap-y-1 px-4 py-2 text-sm">
        <span>
          Viewing as <strong>{session.viewing}</strong> — <strong>read-only</strong> — started by {session.startedBy}
        </span>
        <BannerControls expiresAt={session.expiresAt} targetUserId={session.targetId} exit={exit} />
      </div>
    </div>
  );
}
