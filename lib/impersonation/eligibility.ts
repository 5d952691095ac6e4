import type { Role } from "@/db/schema";

export type ViewAsVerdict = { allowed: true } | { allowed: false; code: "forbidden" | "conflict"; reason: string };

const deny = (code: "forbidden" | "conflict", reason: string): ViewAsVerdict => ({ allowed: false, code, reason });

/**
 * Who may view whose account read-only: the one rule behind starting a
 * support session, honouring it on every request, and offering the form.
 * Staff view only active accounts below their own rank, never their own:
 * support views users, admins view users and support, nobody views an admin.
 */
export function viewAsVerdict(staff: { id: string; role: Role }, target: { id: string; role: Role; status: string }): ViewAsVerdict {
  if (staff.role !== "support" && staff.role !== "admin") return deny("forbidden", "Only support staff can view an account as a user.");
  if (target.id === staff.id) return deny("forbidden", "You can't view your own account as a user.");
  if (target.status !== "active") return deny("conflict", `That account is ${target.status.replace("_", " ")}; it can't be viewed as a user.`);
  if (target.role === "admin") return deny("forbidden", "Admins can't be viewed as a user.");
  if (target.role === "support" && staff.role !== "admin") return deny("forbidden", "Only admins can view another staff account.");
  return { allowed: true };
}
