import Link from "next/link";
import { buttonVariants } from "@/components/ui/button";
import { BrandMark } from "./brand-mark";
import { ADMIN_LINK, MAIN_LINKS } from "./links";
import { MobileMenu } from "./mobile-menu";
import { NavLink } from "./nav-link";
import { SignOutButton } from "./sign-out-button";
import { ThemeMenu } from "./theme-menu";

const linkClass = "rounded-md px-2.5 py-1.5 hover:bg-accent hover:text-foreground";
const idleClass = "text-muted-foreground";
// The current page is marked by weight and a bar under it, not by colour alone.
const activeClass = "font-semibold text-foreground shadow-[inset_0_-2px_0_var(--color-primary)] rounded-b-none";

/**
 * The header on every page. Wide screens show the sections inline; below
 * 768 px they fold into the Menu sheet. `showAdmin` comes from the viewer
 * query: the header shows the link, the admin pages decide who gets in.
 */
export function AppHeader({ user, showAdmin }: { user: { email: string } | null; showAdmin: boolean }) {
  const links = user ? [...MAIN_LINKS, ...(showAdmin ? [ADMIN_LINK] : [])] : [];
  return (
    <header className="border-b border-border bg-card">
      <div className="mx-auto flex max-w-6xl items-center gap-4 px-4 py-2.5 sm:gap-6">
        <Link href="/" className="flex shrink-0 items-center gap-2 rounded-md font-bold text-foreground">
          <BrandMark className="size-7" />
          <span>Breakwater</span>
        </Link>
        {links.length > 0 ? (
          <nav aria-label="Main" className="hidden md:block">
            <ul className="flex items-center gap-1 text-sm">
              {links.map((link) => (
                <li key={link.href}>
                  <NavLink href={link.href} className={linkClass} idleClassName={idleClass} activeClassName={activeClass}>
                    {link.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div className="ml-auto flex min-w-0 items-center gap-2 text-sm">
          <div className="hidden min-w-0 items-center gap-2 md:flex">
            {user ? (
              <>
                <span className="max-w-56 truncate text-muted-foreground" title={user.email}>
                  {user.email}
                </span>
                <SignOutButton />
              </>
            ) : (
              <>
                <Link href="/sign-in" className={buttonVariants({ variant: "ghost", size: "sm" })}>
                  Sign in
                </Link>
                <Link href="/sign-up" className={buttonVariants({ size: "sm" })}>
                  Sign up
                </Link>
              </>
            )}
          </div>
          <div className="hidden md:block">
            <ThemeMenu />
          </div>
          <MobileMenu user={user} showAdmin={showAdmin} />
        </div>
      </div>
    </header>
  );
}
