"use client";

import { useActionState, useCallback, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/safety/result";

type FormState<T> = { result: ActionResult<T> | null; values: Record<string, string> };
type Submission = { form: HTMLFormElement; submitter: HTMLElement | null };

/**
 * Submits a form to a guarded server action. Inputs stay uncontrolled and
 * are not reset on error, so what the user typed is kept beside the error;
 * the action's field errors come back keyed by input name.
 */
export function useGuardedForm<T>(
  action: (input: unknown) => Promise<ActionResult<T>>,
  options: { onSuccess?: (data: T, form: HTMLFormElement) => void; extra?: Record<string, string> } = {},
) {
  const [state, dispatch, pending] = useActionState(
    async (_previous: FormState<T>, { form, submitter }: Submission): Promise<FormState<T>> => {
      const values: Record<string, string> = { ...options.extra };
      // With the submitter, the clicked button's name=value is part of the data (e.g. which plan was chosen).
      new FormData(form, submitter).forEach((value, key) => {
        if (typeof value === "string") values[key] = value;
      });
      const result = await action(values);
      if (result.ok) options.onSuccess?.(result.data, form);
      return { result, values };
    },
    { result: null, values: {} },
  );
  const [, startTransition] = useTransition();
  const onSubmit = useCallback(
    (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      const form = event.currentTarget;
      const { submitter } = event.nativeEvent as SubmitEvent;
      // FormData refuses a submitter from another form (a form rendered through a portal bubbles its submit here in React).
      const ownSubmitter = submitter && (submitter as HTMLButtonElement | HTMLInputElement).form === form ? submitter : null;
      startTransition(() => dispatch({ form, submitter: ownSubmitter }));
    },
    [dispatch],
  );
  const fieldError = (name: string) => (state.result && !state.result.ok ? state.result.fieldErrors?.[name] : undefined);
  return { result: state.result, pending, onSubmit, fieldError };
}
