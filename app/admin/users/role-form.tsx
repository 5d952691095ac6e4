"use client";

import { FormMessage } from "@/components/form-message";
import { Button } from "@/components/ui/button";
import { useGuardedForm } from "@/components/use-guarded-form";
import type { Role } from "@/lib/auth";
import { ROLES } from "@/lib/auth/constants";
import { changeUserRole } from "./actions";

export function RoleForm({ userId, role, email }: { userId: string; role: Role; email: string }) {
  const { result, pending, onSubmit } = useGuardedForm(changeUserRole, { extra: { userId } });
  return (
    <form onSubmit={onSubmit} className="flex items-center gap-2">
      <label className="sr-only" htmlFor={`role-${userId}`}>
        Role for {email}
      </label>
      <select id={`role-${userId}`} name="role" defaultValue={role} className="rounded-md border border-slate-300 px-2 py-1 text-sm">
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <Button type="submit" variant="secondary" disabled={pending} aria-label={`Save role for ${email}`}>
        Save
      </Button>
      <FormMessage result={result} success="Saved." />
    </form>
  );
}
