"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import { startCardSetup } from "./actions";

/** Saving a card happens on the payment provider's own page; we only ever hold its reference. */
export function CardSetup({ onFile }: { onFile: boolean }) {
  const setup = useGuardedForm(startCardSetup, { onSuccess: (data) => window.location.assign(data.url) });
  return (
    <form onSubmit={setup.onSubmit} className="mb-4 flex flex-col items-start gap-2">
      <p className="text-sm text-slate-700">{onFile ? "A card is saved for your payments." : "Add a card before switching to a paid plan."}</p>
      <Button type="submit" variant="secondary" disabled={setup.pending}>
        {setup.pending ? "Opening…" : onFile ? "Replace card" : "Add a card"}
      </Button>
      <FormMessage result={setup.result} />
    </form>
  );
}
