import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { accountChangeRequests, roleEnum, subscriptions, users } from "@/db/schema";
import { actorLabel, actorOf } from "@/lib/audit";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { applyAccessChange, fileAccessChange } from "./access";
import { assertSecondAdmin } from "./approvals";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./constants";
import { checkRateLimit } from "@/lib/ratelimit";
import { appLink, consumeEmailToken, findUserByEmail, issueEmailToken } from "./email-tokens";
import { hashPassword } from "./password";

export const signUpInput = z.object({
  name: z.string().trim().min(1, "Tell us your name.").max(100, "Use at most 100 characters."),
  email: z.string().trim().toLowerCase().max(320).email("Enter a valid email address."),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
    .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`),
});

/** What sign-up answers, whether or not the address already had an account; the rest is for the audit event only. */
const CHECK_YOUR_EMAIL = { checkEmail: true as const };
type SignUpOutcome = { checkEmail: true; userId?: string; created?: boolean };

/**
 * Anyone may create an account (unless sign-ups are switched off); it starts
 * on the free plan with its address unconfirmed, and a confirmation link is
 * emailed. The answer is the same when the address already has an account:
 * its owner gets an email saying so instead, so sign-up cannot be used to
 * find out who has an account.
 */
export const signUp = defineAction({
  name: "auth.sign_up",
  permission: "public",
  // INCIDENT: a sign-up flood, or a broken sign-up path.
  // FAILURE MODE: with signups off sign-up is refused with the switch's sentence before any account is created; existing users sign in as usual.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook rollback; switch signups off.
  flag: "signups",
  rateLimit: { policy: "sign_up", by: "ip" },
  input: signUpInput,
  handler: async ({ tx, input, notify }): Promise<SignUpOutcome> => {
    const existing = await findUserByEmail(tx, input.email);
    if (existing) {
      await notify({
        userId: existing.id,
        to: existing.email,
        template: "sign_up_existing",
        subject: "You already have a Breakwater account",
        body: `Someone, maybe you, tried to create a Breakwater account with this email address. You already have one.\nSign in: ${appLink("/sign-in")}\nForgot your password? Choose a new one: ${appLink("/forgot-password")}\nIf this wasn't you, ignore this email: nothing was changed.`,
      });
      return { ...CHECK_YOUR_EMAIL, userId: existing.id, created: false };
    }
    const [user] = await tx
      .insert(users)
      .values({ name: input.name, email: input.email, passwordHash: await hashPassword(input.password) })
      .returning({ id: users.id, email: users.email });
    await tx.insert(subscriptions).values({ userId: user!.id, plan: "free", currentPeriodEnd: new Date() });
    const token = await issueEmailToken(tx, user!.id, "email_verification");
    await notify({
      userId: user!.id,
      to: input.email,
      template: "email_verification",
      subject: "Confirm your email address for Breakwater",
      body: `Hi ${input.name}, your Breakwater account is ready.\nConfirm that this address is yours: ${appLink("/verify-email", { token })}\nThe link works once, for 24 hours. If you did not create this account, ignore this email.`,
    });
    return { ...CHECK_YOUR_EMAIL, userId: user!.id, created: true };
  },
  // The caller learns nothing about the address; the audit event keeps which account it concerned.
  respond: () => CHECK_YOUR_EMAIL,
  audit: {
    action: "auth.sign_up",
    target: ({ data }) => ({ type: "user", id: data?.userId ?? null }),
    actor: ({ data }) => (data?.created ? { type: "user", id: data.userId ?? null } : { type: "anonymous", id: null }),
    metadata: ({ data }) => ({ method: "password", outcome: data?.created ? "created" : "address already registered: owner emailed" }),
  },
});

// Admins change roles. Nobody changes their own role, so the last admin can't lock everyone out by accident.
// Making someone an admin is not done here: it needs a second admin (requestAccessChange, kind promote_admin).
export const changeUserRole = defineAction({
  name: "admin.change_role",
  permission: "admin:write",
  // INCIDENT: destructive admin actions must stop (a compromised admin, a bad bulk action).
  // FAILURE MODE: with admin_destructive off, role changes are refused before anything changes.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook incident-response; switch admin_destructive off.
  flag: "admin_destructive",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ userId: z.string().uuid("Unknown user."), role: z.enum(roleEnum.enumValues, "Choose user, support or admin.") }),
  handler: async ({ tx, user, input }) => {
    if (input.userId === user.id) throw new ActionFailure("forbidden", "You can't change your own role.");
    const [current] = await tx.select({ role: users.role }).from(users).where(eq(users.id, input.userId)).for("update");
    if (!current) throw new ActionFailure("not_found", "That user doesn't exist.");
    if (input.role === "admin" && current.role !== "admin") {
      throw new ActionFailure("forbidden", "Making someone an admin needs a second admin: request it on their page.", { fieldErrors: { role: "Request this on the user's page; a second admin approves it." } });
    }
    await tx
      .update(users)
      .set({ role: input.role, updatedAt: new Date() })
      .where(and(eq(users.id, input.userId), ne(users.role, input.role)));
    return { previousRole: current.role };
  },
  audit: {
    action: "user.role_change",
    target: ({ input }) => ({ type: "user", id: input.userId }),
    metadata: ({ input, data }) => ({ before: { role: data?.previousRole }, after: { role: input.role } }),
  },
});

const reason = z.string("Give a reason.").trim().min(5, "Give a reason (at least 5 characters).").max(500, "Keep the reason under 500 characters.");

// "Sign out everywhere": every session of this account ends, this one included (the session version moves on).
export const signOutEverywhere = defineAction({
  name: "auth.sign_out_everywhere",
  permission: "self:write",
  input: z.object({}).strict(),
  handler: async ({ tx, user }) => {
    await tx
      .update(users)
      .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, user.id));
    return { userId: user.id };
  },
  audit: { action: "auth.sign_out_everywhere", target: ({ data }) => ({ type: "user", id: data?.userId ?? null }) },
});

// One admin asks for an access change (make admin, suspend, lift a suspension, end every session); a second one decides.
export const requestAccessChange = defineAction({
  name: "admin.request_access_change",
  permission: "admin:write",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ userId: z.string().uuid("Unknown user."), kind: z.enum(["promote_admin", "suspend", "unsuspend", "revoke_sessions"], "Choose a change."), reason }),
  handler: async ({ tx, user, request, input }) =>
    fileAccessChange(tx, { kind: input.kind, targetUserId: input.userId, reason: input.reason, requestedBy: actorLabel(actorOf(request)), requesterId: user.id }),
  audit: {
    action: "user.access_request",
    target: ({ input }) => ({ type: "user", id: input.userId }),
    metadata: ({ input, data }) => ({ kind: input.kind, reason: input.reason, requestId: data?.id }),
  },
});

// The second admin: approve (the change applies now and the person is emailed) or reject.
export const decideAccessChange = defineAction({
  name: "admin.decide_access_change",
  permission: "admin:write",
  // INCIDENT: destructive admin actions must stop (a compromised admin, a bad bulk action).
  // FAILURE MODE: with admin_destructive off, access-change decisions are refused; requests stay pending.
  // SAFE TO RETRY: yes; a refused call changed nothing.
  // OPERATOR ACTION: runbook incident-response; switch admin_destructive off.
  // Approving applies a promotion, suspension or session revocation: destructive, so paused with the rest.
  flag: "admin_destructive",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({ requestId: z.string().uuid("Unknown request."), decision: z.enum(["approve", "reject"], "Choose approve or reject."), reason }),
  handler: async ({ tx, user, request: caller, input, notify }) => {
    const [request] = await tx.select().from(accountChangeRequests).where(eq(accountChangeRequests.id, input.requestId)).for("update");
    if (!request) throw new ActionFailure("not_found", "That request doesn't exist.");
    if (request.status !== "pending") throw new ActionFailure("conflict", "That request was already decided.");
    const who = actorLabel(actorOf(caller));
    await assertSecondAdmin(tx, { id: user.id, label: who }, request);
    if (request.targetUserId === user.id) throw new ActionFailure("forbidden", "You can't decide a change to your own access.");
    const applied = input.decision === "approve" ? await applyAccessChange(tx, request, notify) : null;
    const status = applied ? ("applied" as const) : ("rejected" as const);
    await tx.update(accountChangeRequests).set({ status, decidedBy: who, decidedAt: new Date(), decisionNote: input.reason }).where(eq(accountChangeRequests.id, request.id));
    return { targetUserId: request.targetUserId, kind: request.kind, status, requestedBy: request.requestedBy, before: applied?.before };
  },
  audit: {
    action: "user.access_decision",
    target: ({ data }) => ({ type: "user", id: data?.targetUserId ?? null }),
    metadata: ({ input, data }) => ({ requestId: input.requestId, reason: input.reason, kind: data?.kind, status: data?.status, requestedBy: data?.requestedBy, before: data?.before }),
  },
});

// ---- Password reset and address confirmation, by links sent to the account's email. ----

const passwordInput = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);
const tokenInput = z.string().trim().min(20, "This link is incomplete.").max(100, "This link is not valid.");
const EXPIRED_LINK = "This link has expired or was already used. Ask for a new one.";

/** What a reset request answers, whether or not the address has an account; the rest is for the audit event only. */
const RESET_SENT = { sent: true as const };
type ResetRequestOutcome = { sent: true; userId?: string | null; emailed?: boolean };

/**
 * "Forgot password": emails a single-use link (one hour) to the account's
 * address. Limited per client address by the declared policy and per
 * account quietly, and the answer is the same whether or not an account
 * exists or its budget is spent, so the form cannot be used to find accounts.
 */
export const requestPasswordReset = defineAction({
  name: "auth.request_password_reset",
  permission: "public",
  rateLimit: { policy: "password_reset", by: "ip" },
  input: z.object({ email: z.string().trim().toLowerCase().max(320).email("Enter a valid email address.") }),
  prepare: async ({ db, input }) => {
    const user = await findUserByEmail(db, input.email);
    if (!user) return { user: null, accountLimited: false };
    const budget = await checkRateLimit("password_reset_account", `account:${user.id}`);
    return { user, accountLimited: !budget.allowed };
  },
  handler: async ({ tx, notify, prepared: { user, accountLimited } }): Promise<ResetRequestOutcome> => {
    if (!user || accountLimited) return { ...RESET_SENT, userId: user?.id ?? null, emailed: false };
    const token = await issueEmailToken(tx, user.id, "password_reset");
    await notify({
      userId: user.id,
      to: user.email,
      template: "password_reset",
      subject: "Reset your Breakwater password",
      body: `Someone asked to reset the password of your Breakwater account.\nChoose a new password: ${appLink("/reset-password", { token })}\nThe link works once, for one hour. If you did not ask, ignore this email: your password stays as it is.`,
    });
    return { ...RESET_SENT, userId: user.id, emailed: true };
  },
  respond: () => RESET_SENT,
  audit: {
    action: "auth.password_reset_request",
    target: ({ data }) => ({ type: "user", id: data?.userId ?? null }),
    metadata: ({ data }) => ({ emailed: data?.emailed ?? false, reason: data?.userId ? (data.emailed ? undefined : "account limit reached") : "no such account" }),
  },
});

/**
 * Sets a new password from a reset link. The token is spent in the same
 * statement that checks it; every session of the account ends (the session
 * version moves on), and the owner is told by email.
 */
export const resetPassword = defineAction({
  name: "auth.reset_password",
  permission: "public",
  rateLimit: { policy: "email_link", by: "ip" },
  input: z.object({ token: tokenInput, password: passwordInput }),
  handler: async ({ tx, input, notify }) => {
    const spent = await consumeEmailToken(tx, input.token, "password_reset");
    if (!spent) throw new ActionFailure("invalid_input", EXPIRED_LINK, { fieldErrors: { token: EXPIRED_LINK } });
    const now = new Date();
    const [user] = await tx
      .update(users)
      .set({
        passwordHash: await hashPassword(input.password),
        sessionVersion: sql`${users.sessionVersion} + 1`,
        // Following the link proved the address too.
        emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`,
        updatedAt: now,
      })
      .where(eq(users.id, spent.userId))
      .returning({ id: users.id, email: users.email });
    if (!user) throw new ActionFailure("invalid_input", EXPIRED_LINK);
    await notify({
      userId: user.id,
      to: user.email,
      template: "password_changed",
      subject: "Your Breakwater password was changed",
      body: `The password of your Breakwater account was changed with a reset link, and every device signed in to it was signed out.\nIf this was not you, choose a new password right away: ${appLink("/forgot-password")}`,
    });
    return { userId: user.id };
  },
  audit: {
    action: "auth.password_reset",
    target: ({ data }) => ({ type: "user", id: data?.userId ?? null }),
    actor: ({ data }) => ({ type: "user", id: data?.userId ?? null }),
    metadata: () => ({ sessionsRevoked: true }),
  },
});

/** Confirms the account's address from the link in the sign-up email. */
export const verifyEmail = defineAction({
  name: "auth.verify_email",
  permission: "public",
  rateLimit: { policy: "email_link", by: "ip" },
  input: z.object({ token: tokenInput }),
  handler: async ({ tx, input }) => {
    const spent = await consumeEmailToken(tx, input.token, "email_verification");
    if (!spent) throw new ActionFailure("invalid_input", EXPIRED_LINK, { fieldErrors: { token: EXPIRED_LINK } });
    const now = new Date();
    await tx
      .update(users)
      .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`, updatedAt: now })
      .where(eq(users.id, spent.userId));
    return { userId: spent.userId };
  },
  audit: {
    action: "auth.email_verify",
    target: ({ data }) => ({ type: "user", id: data?.userId ?? null }),
    actor: ({ data }) => ({ type: "user", id: data?.userId ?? null }),
  },
});

/** Sends the confirmation link again to the signed-in account's address. */
export const resendVerification = defineAction({
  name: "auth.resend_verification",
  permission: "self:write",
  rateLimit: { policy: "email_link", by: "user", scope: "resend" },
  input: z.object({}).strict(),
  handler: async ({ tx, user, notify }) => {
    const account = await findUserByEmail(tx, user.email);
    if (!account) throw new ActionFailure("not_found");
    if (account.emailVerifiedAt) throw new ActionFailure("conflict", "Your email address is already confirmed.");
    const token = await issueEmailToken(tx, user.id, "email_verification");
    await notify({
      userId: user.id,
      to: user.email,
      template: "email_verification",
      subject: "Confirm your email address for Breakwater",
      body: `Confirm that this address is yours: ${appLink("/verify-email", { token })}\nThe link works once, for 24 hours.`,
    });
    return { userId: user.id };
  },
  audit: { action: "auth.verification_resend", target: ({ user }) => ({ type: "user", id: user.id }) },
});
