import "server-only";
import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/db/schema";
import { subjectTimeline } from "@/lib/audit";
import { getInactiveAccount } from "@/lib/auth/next";
import { ActionFailure, defineQuery } from "@/lib/procedures";
import { listTrash } from "@/lib/projects";
import { startExportDownload } from "./actions";
import { signComebackToken } from "./confirmations";
import { buildJsonExport, buildZipExport, EXPORT_FORMATS } from "./export";
import { deletionGraceDays, describeRetention, RETENTION_POLICIES } from "./policy";
import { accountLifecycle } from "./reads";

// The caller's own profile, for the account pages (settings, data, danger zone).
export const accountSettings = defineQuery({
  name: "accounts.settings",
  permission: "self:write",
  input: z.object({}),
  handler: async ({ db, user }) => {
    const [row] = await db.select({ emailVerifiedAt: users.emailVerifiedAt }).from(users).where(eq(users.id, user.id));
    return { id: user.id, name: user.name, email: user.email, role: user.role, deletionGraceDays: deletionGraceDays(), emailConfirmed: Boolean(row?.emailVerifiedAt) };
  },
});

// What the caller may see about their own account: the catalogue decides which events, each told as a sentence.
export const accountActivity = defineQuery({
  name: "accounts.activity",
  permission: "self:write",
  input: z.object({}),
  handler: async ({ db, user }) => ({ events: await subjectTimeline(db, user.id) }),
});

/**
 * The one page a deactivated or pending-deletion account may see: the way
 * back. A signed-in (active) caller has nothing to come back from; a caller
 * with no session at all must sign in.
 */
export const comebackOffer = defineQuery({
  name: "accounts.comeback",
  permission: "public",
  input: z.object({}),
  handler: async ({ db, user }) => {
    if (user) return { state: "active" as const };
    const account = await getInactiveAccount();
    if (!account) throw new ActionFailure("unauthenticated");
    const kind = account.status === "deactivated" ? ("reactivate" as const) : ("cancel_deletion" as const);
    const lifecycle = kind === "cancel_deletion" ? await accountLifecycle(db, account.id) : null;
    return {
      state: kind,
      email: account.email,
      token: signComebackToken({ userId: account.id, sessionVersion: account.sessionVersion, purpose: kind }),
      purgeAfter: lifecycle?.pendingDeletion?.purgeAfter ?? null,
    };
  },
});

const exportLink = z.object({ format: z.enum(EXPORT_FORMATS), token: z.string().min(1).max(200) });

/**
 * Export, step 2: the download. Spending the single-use link is a change, so
 * it goes through its own guarded action (kill switch, no support session,
 * its audit event); the file is then read on this query's read-only handle.
 */
export const exportDownload = defineQuery({
  name: "accounts.download_export",
  permission: "self:write",
  input: z.object({ format: z.string().max(20), token: z.string().max(500) }),
  handler: async ({ db, input, request }) => {
    const link = exportLink.safeParse(input);
    if (!link.success) throw new ActionFailure("not_found", "Unknown export link.");
    const spent = await startExportDownload.run(link.data, request);
    if (!spent.ok) throw new ActionFailure(spent.code, spent.message, { retryAfter: spent.retryAfter, errorId: spent.errorId });
    const day = new Date().toISOString().slice(0, 10);
    // Streamed: rows are read, serialised and sent batch by batch, so memory stays flat however large the account.
    const { stream } = spent.data.format === "json" ? buildJsonExport(db, spent.data.userId) : buildZipExport(db, spent.data.userId);
    const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
    if (spent.data.format === "json") return { body, contentType: "application/json; charset=utf-8", filename: `breakwater-export-${day}.json` };
    return { body, contentType: "application/zip", filename: `breakwater-export-${day}.zip` };
  },
});

// Staff view of one account's lifecycle: pending deletion, legal hold, and the trash an admin may restore from.
export const adminAccountLifecycle = defineQuery({
  name: "accounts.admin_lifecycle",
  permission: "admin:read",
  input: z.object({ userId: z.string().uuid("Unknown user.") }),
  handler: async ({ db, input }) => {
    const state = await accountLifecycle(db, input.userId);
    if (!state) throw new ActionFailure("not_found", "That user doesn't exist.");
    const trash = await listTrash(db, input.userId);
    return { ...state, trash: trash.map((p) => ({ id: p.id, name: p.name, deletedAt: p.deletedAt! })) };
  },
});

const RETENTION_WORDS = { delete: "Deleted", pseudonymise: "Kept without your identity", keep: "Kept" } as const;

// The public retention policy, rendered straight from RETENTION_POLICIES: the purge and retention jobs read the same declaration.
export const dataRetention = defineQuery({
  name: "accounts.data_retention",
  permission: "public",
  input: z.object({}),
  usesDatabase: false,
  handler: async () => ({
    deletionGraceDays: deletionGraceDays(),
    policies: RETENTION_POLICIES.map((p) => ({ category: p.category, description: p.description, keptFor: describeRetention(p), then: RETENTION_WORDS[p.action], why: p.why })),
  }),
});
