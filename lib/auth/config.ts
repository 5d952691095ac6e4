import { eq, sql } from "drizzle-orm";
import NextAuth, { type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { getDb } from "@/db/client";
import { subscriptions, users } from "@/db/schema";
import { recordAuditEvent } from "@/lib/audit";
import { env } from "@/lib/env";
import { requestMetaFrom } from "./request-meta";
import { authenticateWithPassword, recordSignInAttempt } from "./sign-in";

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
  }
  interface Session {
    sessionVersion: number;
  }
}
declare module "@auth/core/jwt" {
  interface JWT {
    sv?: number;
  }
}

/** Finds or creates the local account for an OAuth sign-in, matched by verified email. */
async function upsertOAuthUser(email: string, name: string): Promise<{ id: string; sessionVersion: number }> {
  const db = await getDb();
  const normalised = email.toLowerCase();
  const [existing] = await db.select().from(users).where(eq(sql`lower(${users.email})`, normalised));
  if (existing) return existing;
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
  // Credentials sign-in needs JWT sessions; they are made revocable by the
  // per-request session-version check in getSessionUser().
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: async (credentials, request) => {
        const user = await authenticateWithPassword(credentials, requestMetaFrom(request?.headers));
        return user ? { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion } : null;
      },
    }),
    ...(env.githubAuthEnabled ? [GitHub] : []),
  ],
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "github") return true;
      if (!user.email) return false;
      const local = await upsertOAuthUser(user.email, user.name ?? user.email);
      user.id = local.id;
      user.sessionVersion = local.sessionVersion;
      await recordSignInAttempt({ method: "github", email: user.email, userId: local.id, outcome: "success", ip: null, userAgent: null });
      return true;
    },
    jwt({ token, user }) {
      if (user) {
        token.sub = user.id;
        token.sv = user.sessionVersion ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (token.sub) session.user.id = token.sub;
      session.sessionVersion = token.sv ?? 0;
      return session;
    },
  },
  events: {
    async signOut(message) {
      const userId = "token" in message ? message.token?.sub : undefined;
      if (!userId) return;
      const db = await getDb();
      await recordAuditEvent(db, { actor: { type: "user", id: userId }, action: "auth.sign_out", target: { type: "user", id: userId }, outcome: "success" });
    },
  },
} satisfies NextAuthConfig;

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
