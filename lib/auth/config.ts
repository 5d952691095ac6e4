import "server-only";
import { eq, sql } from "drizzle-orm";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { cookies } from "next/headers";
import { getDb } from "@/lib/database";
import { subscriptions, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit";
import { env } from "@/lib/env";
import { checkKillSwitch } from "@/lib/flags";
import { signInRefusalCode, type SignInRefusal } from "./constants";
import { requestMetaFrom } from "./request-meta";
import { SESSION_IDLE_SECONDS, withinAbsoluteLifetime } from "./session-policy";
import { revokeSession } from "./session-user";
import { decodeSessionToken, encodeSessionToken } from "./session-token";
import { attemptPasswordSignIn, recordSignInAttempt } from "./sign-in";
import { KNOWN_DEVICE_COOKIE } from "./sign-in-throttle";

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
  }
  interface Session {
    sessionVersion: number;
    sessionId: string | null;
    authTime: number | null;
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    /** The account's session version when this token was issued (bumped: every session ends). */
    sv?: number;
    /** This session's own id (listed in revoked_sessions once signed out). */
    sid?: string;
    /** When the person signed in, in seconds: the absolute lifetime counts from here. */
    at?: number;
  }
}

/** A refused sign-in whose reason the form may show (a wrong password reads as one, whatever the cause). */
class SignInRefused extends CredentialsSignin {
  constructor(reason: SignInRefusal, retryAfterSeconds?: number) {
    super();
    this.code = signInRefusalCode(reason, retryAfterSeconds);
  }
}

function cookieFrom(headers: Headers | undefined, name: string): string | null {
  for (const part of headers?.get("cookie")?.split(";") ?? []) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return null;
}

/** Remembers that this browser signed in to this account, so guessing elsewhere can't slow its owner down here. */
async function rememberDevice(tag: string, secure: boolean): Promise<void> {
  try {
    (await cookies()).set(KNOWN_DEVICE_COOKIE, tag, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: 365 * 24 * 60 * 60 });
  } catch {
    // Not inside a request that can set cookies (a test calling authorize directly): nothing to remember.
  }
}

/**
 * Finds or creates the local account for an OAuth sign-in, matched by
 * verified email. Creating one is a sign-up, so the `signups` kill switch
 * refuses it (null, audited as denied) exactly as it refuses the form;
 * existing accounts still sign in.
 */
async function upsertOAuthUser(email: string, name: string): Promise<{ id: string; sessionVersion: number } | null> {
  const db = await getDb();
  const normalised = email.toLowerCase();
  const [existing] = await db.select().from(users).where(eq(sql`lower(${users.email})`, normalised));
  if (existing) return existing;
  // INCIDENT: a sign-up flood, or a broken sign-up path.
  // FAILURE MODE: with signups off a new GitHub identity gets no account (audited); existing accounts sign in.
  // SAFE TO RETRY: yes; a refused sign-in changed nothing.
  // OPERATOR ACTION: runbook rollback; switch signups off.
  if (!(await checkKillSwitch("signups"))) {
    await recordAuditEvent(db, {
      actor: { type: "anonymous", id: null },
      action: "auth.sign_up",
      target: { type: "user", id: null },
      outcome: "denied",
      metadata: { method: "github", reason: "kill switch signups is off" },
    });
    return null;
  }
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(users).values({ email: normalised, name }).returning();
    await tx.insert(subscriptions).values({ userId: created!.id, plan: "free", currentPeriodEnd: new Date() });
    await recordAuditEvent(tx, { actor: { type: "user", id: created!.id }, action: "auth.sign_up", target: { type: "user", id: created!.id }, outcome: "success", metadata: { method: "github" } });
    return created!;
  });
}

export const authConfig = {
  secret: env.authSecret,
  trustHost: true,
  // Credentials sign-in needs JWT sessions; they are made revocable by the per-request checks in
  // getSessionUser() (session version, this session's id, absolute lifetime). A token lapses after
  // SESSION_IDLE_SECONDS without use; proxy.ts slides it forward while it is used.
  session: { strategy: "jwt", maxAge: SESSION_IDLE_SECONDS },
  // Auth.js's own token format and encryption, each token decrypted once rather than on every request.
  jwt: { encode: encodeSessionToken, decode: decodeSessionToken },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials, request) => {
        const knownDevice = cookieFrom(request?.headers, KNOWN_DEVICE_COOKIE);
        const result = await attemptPasswordSignIn(credentials, { ...requestMetaFrom(request?.headers), knownDevice });
        if (!result.ok) throw new SignInRefused(result.reason, result.retryAfterSeconds);
        await rememberDevice(result.user.knownDevice, request?.url?.startsWith("https:") ?? false);
        const { user } = result;
        return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
      },
    }),
    ...(env.githubAuthEnabled ? [GitHub] : []),
  ],
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "github") return true;
      if (!user.email) return false;
      const local = await upsertOAuthUser(user.email, user.name ?? user.email);
      if (!local) return false;
      user.id = local.id;
      user.sessionVersion = local.sessionVersion;
      await recordSignInAttempt({ method: "github", email: user.email, userId: local.id, outcome: "success", ip: null, userAgent: null });
      return true;
    },
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sv = user.sessionVersion ?? 0;
        token.sid = crypto.randomUUID();
        token.at = Math.floor(Date.now() / 1000);
        return token;
      }
      // Past its absolute lifetime a token is not renewed, however active its holder.
      return withinAbsoluteLifetime(token.at ?? null) ? token : null;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.sessionVersion = token.sv ?? 0;
      session.sessionId = token.sid ?? null;
      session.authTime = token.at ?? null;
      return session;
    },
  },
  events: {
    // Signing out ends this session for good: the cookie (and any copy of it) is refused from the next request on.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      const userId = token?.sub;
      if (!userId) return;
      const db = await getDb();
      if (token.sid) await revokeSession(db, { sessionId: token.sid, userId, authTime: token.at ?? null });
      await recordAuditEvent(db, { actor: { type: "user", id: userId }, action: "auth.sign_out", target: { type: "user", id: userId }, outcome: "success" });
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
