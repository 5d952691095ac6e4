import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { roleEnum, subscriptions, users } from "@/db/schema";
import { ActionFailure, defineAction } from "@/lib/safety";
import { hashPassword } from "./password";

export const signUpInput = z.object({
  name: z.string().trim().min(1, "Tell us your name.").max(100, "Use at most 100 characters."),
  email: z.string().trim().toLowerCase().max(320).email("Enter a valid email address."),
  password: z.string().min(8, "Use at least 8 characters.").max(200, "Use at most 200 characters."),
});

// Anyone may create an account (unless sign-ups are switched off); it starts on the free plan.
export const signUp = defineAction({
  name: "auth.sign_up",
  permission: "public",
  flag: "signups",
  rateLimit: { policy: "sign_up", key: ({ request }) => `ip:${request.ip ?? "unknown"}` },
  input: signUpInput,
  handler: async ({ tx, input, notify }) => {
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, input.email));
    if (taken) throw new ActionFailure("conflict", "An account with this email already exists.", { fieldErrors: { email: "This email is already registered. Sign in instead." } });
    const [user] = await tx
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash: await hashPassword(input.password) })
      .returning({ id: users.id, email: users.email });
    await tx.insert(subscriptions).values({ userId: user!.id, plan: "free", currentPeriodEnd: new Date() });
    await notify({ userId: user!.id, to: input.email, template: "welcome", subject: "Welcome to Breakwater", body: `Hi ${input.name}, your account is ready.` });
    return user!;
  },
  audit: {
    action: "auth.sign_up",
    target: (_, data) => ({ type: "user", id: data?.id ?? null }),
    actor: (_, data) => ({ type: "user", id: data?.id ?? null }),
    metadata: () => ({ method: "password" }),
  },
});

// Admins change roles. Nobody changes their own role, so the last admin can't lock everyone out by accident.
export const changeUserRole = defineAction({
  name: "admin.change_role",
  permission: "admin:write",
  rateLimit: { policy: "admin", key: ({ user }) => `user:${user.id}` },
  input: z.object({ userId: z.string().uuid("Unknown user."), role: z.enum(roleEnum.enumValues, "Choose user, support or admin.") }),
  handler: async ({ tx, user, input }) => {
    if (input.userId === user.id) throw new ActionFailure("forbidden", "You can't change your own role.");
    const [current] = await tx.select({ role: users.role }).from(users).where(eq(users.id, input.userId)).for("update");
    if (!current) throw new ActionFailure("not_found", "That user doesn't exist.");
    await tx
      .update(users)
      .set({ role: input.role, updatedAt: new Date() })
      .where(and(eq(users.id, input.userId), ne(users.role, input.role)));
    return { previousRole: current.role };
  },
  audit: {
    action: "user.role_change",
    target: (input) => ({ type: "user", id: input.userId }),
    metadata: (input, data) => ({ before: { role: data?.previousRole }, after: { role: input.role } }),
  },
});
