import type { Plan, Role } from "@/db/schema";

/** Everyone in the demo signs in with this password (development only: the seed refuses production). */
export const DEMO_PASSWORD = "breakwater-demo";

export type DemoPerson = { key: "user" | "support" | "admin" | "leaving"; email: string; name: string; role: Role; plan: Plan };

/** The three logins printed by `npm run dev`, one per role, and a customer who asked to have their account deleted. */
export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { key: "user", email: "user@breakwater.test", name: "Uma User", role: "user", plan: "pro" },
  { key: "support", email: "support@breakwater.test", name: "Sam Support", role: "support", plan: "free" },
  { key: "admin", email: "admin@breakwater.test", name: "Ada Admin", role: "admin", plan: "free" },
  { key: "leaving", email: "dana@breakwater.test", name: "Dana Departing", role: "user", plan: "free" },
];
