"use client";

import { useState } from "react";
import { buttonVariants } from "@/components/ui/variants";

/** Every signed-in page shows it: Auth.js's browser client is fetched on the click, not with the page. */
export function SignOutButton({ className }: { className?: string }) {
  const [pending, setPending] = useState(false);
  return (
    <button
      type="button"
      disabled={pending}
      className={buttonVariants({ variant: "secondary", size: "sm", className })}
      onClick={async () => {
        setPending(true);
        const { signOut } = await import("next-auth/react");
        await signOut({ redirectTo: "/sign-in" });
      }}
    >
      Sign out
    </button>
  );
}
