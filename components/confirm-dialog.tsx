"use client";

import { useRef, useState, type ReactNode } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { toast } from "@/components/ui/toast";
import { useGuardedForm } from "@/components/use-guarded-form";
import type { ActionResult } from "@/lib/safety/result";

type Props<T> = {
  /** The button that opens the dialog. */
  triggerLabel: string;
  title: string;
  description: ReactNode;
  /** What the user must type to enable the final button (e.g. the project name or their email). */
  phrase: string;
  phraseLabel: string;
  /** Input name the typed phrase is sent as; the server checks it when it matters (e.g. "email"). */
  phraseName?: string;
  confirmLabel: string;
  /** Said once it is done (as a toast: the dialog, and often its button, are gone by then). */
  done?: string;
  /** Asks the server for the single-use confirmation token when the dialog opens. */
  issue: () => Promise<ActionResult<{ token: string }>>;
  action: (input: unknown) => Promise<ActionResult<T>>;
  extra?: Record<string, string>;
  onSuccess?: (data: T) => void;
  /** Extra fields, e.g. a password. */
  children?: ReactNode;
};

/**
 * Type-to-confirm dialog for irreversible actions. Opening it fetches a
 * server-issued token bound to this actor, action and target; the server
 * refuses the action without it, whatever the browser does.
 */
export function ConfirmDialog<T>({ triggerLabel, title, description, phrase, phraseLabel, phraseName = "confirmText", confirmLabel, done = "Done.", issue, action, extra, onSuccess, children }: Props<T>) {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const [typed, setTyped] = useState("");
  const [token, setToken] = useState<string | null>(null);
  const [issueError, setIssueError] = useState<ActionResult<unknown> | null>(null);
  const { result, pending, onSubmit, fieldError } = useGuardedForm(action, {
    extra,
    onSuccess: (data) => {
      setOpen(false);
      toast.success(done);
      onSuccess?.(data);
    },
  });

  async function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) return;
    setTyped("");
    setToken(null);
    setIssueError(null);
    const issued = await issue();
    if (issued.ok) setToken(issued.data.token);
    else setIssueError(issued);
  }

  const matches = typed.trim().toLowerCase() === phrase.trim().toLowerCase();
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button ref={trigger} type="button" variant="danger">
          {triggerLabel}
        </Button>
      </DialogTrigger>
      <DialogContent
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          requestAnimationFrame(() => focusAfterClose(trigger.current));
        }}
      >
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <DialogHeader>
            <DialogTitle>{title}</DialogTitle>
            <DialogDescription asChild>
              <div>{description}</div>
            </DialogDescription>
          </DialogHeader>
          <Field label={phraseLabel} name={phraseName} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" error={fieldError(phraseName)} />
          {children}
          <input type="hidden" name="confirmation" value={token ?? ""} />
          <FormMessage result={issueError ?? result} />
          <DialogFooter>
            <Button type="button" variant="secondary" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={pending || !matches || !token}>
              {confirmLabel}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/**
 * Focus goes back to the trigger. When the action removed it (the last
 * project purged, the trash emptied), to the page's main content, never
 * <body>: also when the removal comes with the page's refresh, after the
 * dialog has closed.
 */
function focusAfterClose(trigger: HTMLElement | null) {
  const main = () => document.getElementById("main");
  if (!trigger?.isConnected) {
    main()?.focus();
    return;
  }
  trigger.focus();
  const watch = new MutationObserver(() => {
    if (trigger.isConnected) return;
    watch.disconnect();
    // Only if the focus fell with it: someone who has moved on keeps their place.
    if (document.activeElement === null || document.activeElement === document.body) main()?.focus();
  });
  watch.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => watch.disconnect(), 10_000);
}
