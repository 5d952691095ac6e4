/** The signed-in sections of the header; Admin is added for staff. */
export const MAIN_LINKS = [
  { href: "/projects", label: "Projects" },
  { href: "/billing", label: "Billing" },
  { href: "/account", label: "Account" },
] as const;

export const ADMIN_LINK = { href: "/admin", label: "Admin" } as const;

/** What the header menus need to know about who is looking. */
export type MenuProps = { user: { email: string } | null; showAdmin: boolean };
