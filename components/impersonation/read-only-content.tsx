import type { ReactNode } from "react";

/**
 * The page while a read-only support session views it: every form control
 * on it is disabled (a disabled fieldset), with the reason said once above
 * it. Links still navigate. The server refuses writes whatever the page
 * shows; this only stops offering what would be refused.
 */
export function ReadOnlyContent({ children }: { children: ReactNode }) {
  return (
    <>
      <p id="read-only-reason" role="note" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-950 ring-1 ring-amber-200">
        Read-only support session: the buttons and fields that would change this account are disabled.
      </p>
      <fieldset disabled aria-describedby="read-only-reason" className="m-0 min-w-0 border-0 p-0">
        {children}
      </fieldset>
    </>
  );
}
