"use client";

import { PanelLeft } from "lucide-react";
import { usePathname } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { isCurrent, NavLink } from "./nav-link";

type Section = { href: string; label: string };

const linkClass = "block rounded-md px-3 py-2 text-sm hover:bg-accent hover:text-foreground";
const idleClass = "text-muted-foreground";
const activeClass = "bg-accent font-semibold text-foreground shadow-[inset_3px_0_0_var(--color-primary)]";

function SectionLinks({ sections, onNavigate }: { sections: readonly Section[]; onNavigate?: () => void }) {
  return (
    <nav aria-label="Admin">
      <ul className="flex flex-col gap-0.5">
        {sections.map((s) => (
          // The overview is current only on itself, not on every admin page beneath it.
          <li key={s.href}>
            <NavLink href={s.href} exact={s.href === "/admin"} className={linkClass} idleClassName={idleClass} activeClassName={activeClass} onNavigate={onNavigate}>
              {s.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The admin sections: a sidebar on wide screens, a sheet behind a button (naming the current section) below 1024 px. */
export function AdminNav({ sections }: { sections: readonly Section[] }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const current = [...sections].reverse().find((s) => isCurrent(pathname, s.href, s.href === "/admin"));
  return (
    <>
      <aside className="hidden lg:block">
        <div className="sticky top-4">
          <SectionLinks sections={sections} />
        </div>
      </aside>
      <div className="lg:hidden">
        <Sheet open={open} onOpenChange={setOpen}>
          <SheetTrigger asChild>
            <Button type="button" variant="secondary" size="sm">
              <PanelLeft aria-hidden />
              <span>
                Admin sections{current ? <span className="font-normal text-muted-foreground">: {current.label}</span> : null}
              </span>
            </Button>
          </SheetTrigger>
          <SheetContent closeLabel="Close admin sections">
            <SheetTitle className="text-lg font-semibold">Admin sections</SheetTitle>
            <SheetDescription className="sr-only">Every area of the admin console.</SheetDescription>
            <SectionLinks sections={sections} onNavigate={() => setOpen(false)} />
          </SheetContent>
        </Sheet>
      </div>
    </>
  );
}
