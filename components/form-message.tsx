import type { ActionResult } from "@/lib/safety/result";

/** The sentence for an action's outcome: errors as alerts, success as a polite status. */
export function FormMessage({ result, success }: { result: ActionResult<unknown> | null; success?: string }) {
  if (!result) return null;
  if (result.ok) {
    return success ? (
      <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
        {success}
      </p>
    ) : null;
  }
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {result.message}
      {result.errorId ? <span className="block text-xs text-red-700">Error id: {result.errorId}</span> : null}
    </p>
  );
}
