import type { Metadata } from "next";
import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";

export const metadata: Metadata = { title: "Access denied" };

// Rendered with a real 403 when a page's query refuses the signed-in user (forbidden() in lib/web.ts).
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-lg py-16 text-center">
      <h1 className="text-2xl font-bold">Access denied</h1>
      <p className="mt-2 text-muted-foreground">Your account doesn&apos;t have access to this page.</p>
      <div className="mt-6">
        <Link href="/" className={buttonVariants({ variant: "primary" })}>
          Go home
        </Link>
      </div>
    </div>
  );
}
