import Link from "next/link";
import { hasPermission, type SessionUser } from "@/lib/auth";
import { SignOutButton } from "./sign-out-button";

const links = [
  { href: "/projects", label: "Projects" },
  { href: "/billing", label: "Billing" },
  { href: "/account", label: "Account" },
];

export function AppHeader({ user }: { user: SessionUser | null }) {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3">
        <Link href="/" className="font-bold text-sky-800">
          Breakwater
        </Link>
        {user ? (
          <nav aria-label="Main" className="flex gap-4 text-sm">
            {links.map((link) => (
              <Link key={link.href} href={link.href} className="text-slate-700 hover:text-sky-800">
                {link.label}
              </Link>
            ))}
            {hasPermission(user.role, "admin:read") ? (
              <Link href="/admin" className="text-slate-700 hover:text-sky-800">
                Admin
              </Link>
            ) : null}
          </nav>
        ) : null}
        <div className="ml-auto flex items-center gap-3 text-sm">
          {user ? (
            <>
              <span className="text-slate-600">{user.email}</span>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/sign-in" className="text-slate-700 hover:text-sky-800">
                Sign in
              </Link>
              <Link href="/sign-up" className="rounded-md bg-sky-700 px-3 py-1.5 text-white hover:bg-sky-800">
                Sign up
              </Link>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
