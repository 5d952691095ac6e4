import { getImpersonation } from "@/lib/auth/session";
import type { ActionResult } from "@/lib/safety/result";
import { BannerControls } from "./banner-controls";

type Props = {
  exit: (input: unknown) => Promise<ActionResult<unknown>>;
  recordPageView: (input: unknown) => Promise<ActionResult<unknown>>;
};

/**
 * Shown on every page while a read-only support session lasts. The server
 * decides (from the signed cookie and the session row); the client part
 * counts down, records page views and offers Exit.
 */
export async function ImpersonationBanner({ exit, recordPageView }: Props) {
  const impersonation = await getImpersonation();
  if (!impersonation) return <div id="top-banner" />;
  const who = impersonation.target.name ? `${impersonation.target.name} (${impersonation.target.email})` : impersonation.target.email;
  return (
    <div id="top-banner" role="region" aria-label="Support session" className="bg-amber-100 text-amber-950 ring-1 ring-amber-300">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-2 gap-y-1 px-4 py-2 text-sm">
        <span>
          Viewing as <strong>{who}</strong> — <strong>read-only</strong> — started by {impersonation.impersonatorName}
        </span>
        <BannerControls
          expiresAt={impersonation.expiresAt.toISOString()}
          targetUserId={impersonation.target.id}
          exit={exit}
          recordPageView={recordPageView}
        />
      </div>
    </div>
  );
}
