import type { Role, User } from "@/db/schema";

/** The signed-in user as every guard sees it, loaded fresh from the database on each request. */
export type SessionUser = Pick<User, "id" | "email" | "name" | "role" | "status">;
export type { Role };
