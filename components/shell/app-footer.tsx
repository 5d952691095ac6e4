import Link from "next/link";
import type { ReactNode } from "react";

/** Footer on every page; `actions` is the slot the report-a-problem button lives in. `version` is the build's. */
export function AppFooter({ version, actions }: { version: string; actions?: ReactNode }) {
  return (
    <footer className="mt-16 border-t border-border bg-card">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-4 text-sm text-muted-foreground">
        <nav aria-label="Footer">
          <ul className="flex flex-wrap gap-x-4 gap-y-1">
            <li>
              {/* A plain link: the status page is a standalone document, not a route the client router can render. */}
              <a href="/status" className="underline underline-offset-2 hover:text-foreground">
                System status
              </a>
            </li>
            <li>
              <Link href="/legal/data-retention" className="underline underline-offset-2 hover:text-foreground">
                Data retention
              </Link>
            </li>
          </ul>
        </nav>
        <p data-volatile>Version {version}</p>
        <div className="ml-auto">{actions}</div>
      </div>
    </footer>
  );
}
