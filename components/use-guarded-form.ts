"use client";

import { useActionState, useCallback, useTransition, type FormEvent } from "react";
import type { ActionResult } from "@/lib/safety/result";

type FormState<T> = { result: ActionResult<T> | null; values: Record<string, string> };

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
    async (_previous: FormState<T>, form: HTMLFormElement): Promise<FormState<T>> => {
      const values: Record<string, string> = { ...options.extra };
      new FormData(form).forEach((value, key) => {
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
      startTransition(() => dispatch(form));
    },
    [dispatch],
  );
  const fieldError = (name: string) => (state.result && !state.result.ok ? state.result.fieldErrors?.[name] : undefined);
  return { result: state.result, pending, onSubmit, fieldError };
}
