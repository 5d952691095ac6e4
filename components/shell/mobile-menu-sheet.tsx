"use client";

import { Menu } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button, buttonVariants } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import { ADMIN_LINK, MAIN_LINKS } from "./links";
import { NavLink } from "./nav-link";
import { SignOutButton } from "./sign-out-button";
import type { MenuProps } from "./links";
import { ThemeChoices } from "./theme-choices";

const linkClass = "block rounded-md px-3 py-2.5 text-base text-foreground hover:bg-accent";
const activeClass = "bg-accent font-semibold shadow-[inset_3px_0_0_var(--color-primary)]";

/** The phone menu's sheet (Radix dialog), loaded the first time someone opens it. */
export function MobileMenuSheet({ user, showAdmin, defaultOpen = false }: MenuProps & { defaultOpen?: boolean }) {
  const [open, setOpen] = useState(defaultOpen);
  const close = () => setOpen(false);
  const links = user ? [...MAIN_LINKS, ...(showAdmin ? [ADMIN_LINK] : [])] : [];
  return (
    <Sheet open={open} onOpenChange={setOpen}>
      <SheetTrigger asChild>
        <Button type="button" variant="secondary" size="sm" className="md:hidden">
          <Menu aria-hidden /> Menu
        </Button>
      </SheetTrigger>
      <SheetContent>
        <SheetTitle className="text-lg font-semibold">Menu</SheetTitle>
        <SheetDescription className="sr-only">Where to go in Breakwater, and your account.</SheetDescription>
        {links.length > 0 ? (
          <nav aria-label="Main">
            <ul className="flex flex-col gap-1">
              {links.map((link) => (
                <li key={link.href}>
                  <NavLink href={link.href} className={linkClass} activeClassName={activeClass} onNavigate={close}>
                    {link.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div className="mt-auto flex flex-col gap-4 border-t border-border pt-4">
          <ThemeChoices />
          {user ? (
            <>
              <p className="text-sm break-all text-muted-foreground">Signed in as {user.email}</p>
              <SignOutButton />
            </>
          ) : (
            <div className="flex flex-col gap-2">
              <Link href="/sign-in" onClick={close} className={buttonVariants({ variant: "secondary" })}>
                Sign in
              </Link>
              <Link href="/sign-up" onClick={close} className={buttonVariants()}>
                Sign up
              </Link>
            </div>
          )}
        </div>
      </SheetContent>
    </Sheet>
  );
}
