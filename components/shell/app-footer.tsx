import Link from "next/link";
import type { ReactNode } from "react";

/** Footer on every page; `actions` is the slot the report-a-problem button lives in. */
export function AppFooter({ version, actions }: { version: string; actions?: ReactNode }) {
  return (
    <footer className="mt-16 border-t border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-4 px-4 py-4 text-sm text-slate-600">
        <span>Breakwater · {version}</span>
        <Link href="/status" className="hover:text-sky-800">
          Status
        </Link>
        <div className="ml-auto">{actions}</div>
      </div>
    </footer>
  );
}
