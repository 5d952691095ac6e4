"use client";

import { useId, useRef, useState, type ReactNode } from "react";
import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
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
export function ConfirmDialog<T>({ triggerLabel, title, description, phrase, phraseLabel, phraseName = "confirmText", confirmLabel, issue, action, extra, onSuccess, children }: Props<T>) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [typed, setTyped] = useState("");
  const [token, setToken] = useState<string | null>(null);
  const [issueError, setIssueError] = useState<ActionResult<unknown> | null>(null);
  const { result, pending, onSubmit, fieldError } = useGuardedForm(action, {
    extra,
    onSuccess: (data) => {
      dialog.current?.close();
      onSuccess?.(data);
    },
  });

  async function open() {
    setTyped("");
    setToken(null);
    setIssueError(null);
    dialog.current?.showModal();
    const issued = await issue();
    if (issued.ok) setToken(issued.data.token);
    else setIssueError(issued);
  }

  const matches = typed.trim().toLowerCase() === phrase.trim().toLowerCase();
  return (
    <>
      <Button type="button" variant="danger" onClick={open}>
        {triggerLabel}
      </Button>
      <dialog ref={dialog} aria-labelledby={titleId} className="m-auto max-w-md rounded-lg p-6 shadow-xl backdrop:bg-slate-900/40">
        <form onSubmit={onSubmit} className="flex flex-col gap-4" noValidate>
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div className="text-sm text-slate-600">{description}</div>
          <Field
            label={phraseLabel}
            name={phraseName}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            error={fieldError(phraseName)}
          />
          {children}
          <input type="hidden" name="confirmation" value={token ?? ""} />
          <FormMessage result={issueError ?? result} />
          <div className="flex justify-end gap-2">
            <Button type="button" variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={pending || !matches || !token}>
              {confirmLabel}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
