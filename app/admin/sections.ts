import type { AdminSection } from "@/lib/admin";

/** Every area of /admin, once: the navigation and the overview's cards are both drawn from this list. */
export const ADMIN_SECTIONS = [
  { href: "/admin", label: "Overview", description: "Counts and the way into every section", permission: "admin:read" },
  { href: "/admin/users", label: "Users", description: "Accounts, roles, read-only view, lifecycle and legal holds", permission: "admin:read" },
  { href: "/admin/audit", label: "Audit log", description: "The hash-chained audit log", permission: "admin:read" },
  { href: "/admin/flags", label: "Flags", description: "Kill switches, rollouts and segments", permission: "admin:read" },
  { href: "/admin/outbox", label: "Outbox", description: "Email the development provider sent", permission: "admin:read" },
  { href: "/admin/breakers", label: "Breakers", description: "Provider circuit breakers and rate limiters", permission: "admin:read" },
  { href: "/admin/jobs", label: "Jobs", description: "Cron runs and the dead-man's switch", permission: "admin:read" },
  { href: "/admin/reports", label: "Reports", description: "Problem reports from every page", permission: "admin:read" },
  { href: "/admin/incidents", label: "Incidents", description: "What /status tells customers", permission: "admin:read" },
  { href: "/admin/slo", label: "SLOs", description: "Error budgets and burn-rate alerts", permission: "admin:read" },
  { href: "/admin/alerts", label: "Alerts", description: "What was raised, who was told, and whether it arrived", permission: "admin:read" },
  { href: "/admin/readiness", label: "Readiness", description: "Operational sign-offs", permission: "admin:read" },
  { href: "/admin/runbooks", label: "Runbooks", description: "Procedures with live state and actions", permission: "admin:read" },
] as const satisfies readonly AdminSection[];

/** The overview page itself is in the navigation but gets no card of its own. */
export const OVERVIEW_HREF = "/admin";
