"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";
import { clsx } from "clsx";

/** Whether `href` is where the person is: the page itself, or (unless `exact`) a page beneath it. */
export function isCurrent(pathname: string, href: string, exact = false): boolean {
  if (pathname === href) return true;
  return !exact && href !== "/" && pathname.startsWith(`${href}/`);
}

/**
 * A navigation link that knows it is the current page: `aria-current="page"`
 * for assistive technology, and a visible mark (weight and an underline bar)
 * that does not rely on colour. Classes are joined, not merged (the header
 * loads on every page, the class merger does not): what differs between the
 * two states goes in `idleClassName` and `activeClassName`, never in both
 * `className` and one of them.
 */
export function NavLink({
  href,
  exact,
  className,
  idleClassName,
  activeClassName,
  onNavigate,
  children,
}: {
  href: string;
  exact?: boolean;
  className?: string;
  idleClassName?: string;
  activeClassName?: string;
  onNavigate?: () => void;
  children: ReactNode;
}) {
  const current = isCurrent(usePathname(), href, exact);
  return (
    <Link href={href} aria-current={current ? "page" : undefined} onClick={onNavigate} className={clsx(className, current ? activeClassName : idleClassName)}>
      {children}
    </Link>
  );
}
