import { useId, type InputHTMLAttributes, type ReactNode } from "react";
import { Input, Label } from "./input";

/**
 * A labelled input whose server-side error shows right beside it, tied to it
 * with aria-describedby; `hint` is help text read with the field.
 */
export function Field({ label, error, hint, name, className, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; error?: string; hint?: ReactNode }) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={className ? `flex min-w-0 flex-col gap-1 ${className}` : "flex min-w-0 flex-col gap-1"}>
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={name} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...props} />
      {hint ? (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
