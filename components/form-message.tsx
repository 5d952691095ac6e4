"use client";

import { useEffect, useRef } from "react";
import { cn } from "@/components/ui/cn";
import type { ActionResult } from "@/lib/safety/result";

const FOCUSABLE = 'input:not([type="hidden"]):not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled])';

/** Focus was lost (a pressed button was disabled while pending, or removed) or is still in this form: safe to move. */
function focusIsOurs(form: HTMLElement | null): boolean {
  const active = document.activeElement;
  return !active || active === document.body || (form !== null && form.contains(active));
}

/**
 * The sentence for an action's outcome: errors as alerts, success as a polite
 * status. Both regions are always in the page, empty until a result arrives,
 * so assistive technology announces the text when it appears.
 *
 * After each result focus moves to where the person should look: the first
 * invalid field, else the message, else (a success with nothing to say) back
 * into the form. It never takes focus from somewhere else the person went.
 */
export function FormMessage({ result, success, tone }: { result: ActionResult<unknown> | null; success?: string; tone?: "success" | "danger" }) {
  const status = useRef<HTMLDivElement>(null);
  const alert = useRef<HTMLDivElement>(null);
  const shownSuccess = result?.ok ? success : undefined;
  const error = result && !result.ok ? result : null;

  useEffect(() => {
    if (!result) return;
    const anchor = status.current;
    const form = anchor?.closest("form") ?? null;
    if (!focusIsOurs(form)) return;
    const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    if (!result.ok && invalid) invalid.focus();
    else if (!result.ok) alert.current?.focus();
    else if (shownSuccess) status.current?.focus();
    else form?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
  }, [result, shownSuccess]);

  return (
    <>
      <div
        ref={status}
        role="status"
        tabIndex={-1}
        className={
          shownSuccess
            ? cn("rounded-md px-3 py-2 text-sm", tone === "danger" ? "bg-red-50 text-red-800" : "bg-emerald-50 text-emerald-800")
            : "sr-only"
        }
      >
        {shownSuccess ?? null}
      </div>
      <div ref={alert} role="alert" tabIndex={-1} className={error ? "rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" : "sr-only"}>
        {error ? (
          <>
            {error.message}
            {error.errorId ? <span className="block text-xs text-red-700">Error id: {error.errorId}</span> : null}
          </>
        ) : null}
      </div>
    </>
  );
}
