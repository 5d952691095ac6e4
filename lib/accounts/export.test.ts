import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq, or, and, sql } from "drizzle-orm";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb, type Db } from "@/lib/database";
import { auditEvents, invoices, notifications, projects, subscriptions, tasks, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth";
import { loadSessionUser } from "@/lib/auth/session-user";
import { contextFor, createTestUser, sessionClaims } from "@/test/factories";
import { createProject, createTask, deleteProject } from "@/lib/projects/actions";
import { deactivateAccount, requestExport, startExportDownload } from "./actions";
import { buildJsonExport, buildZipExport } from "./export";

const PASSWORD = "correct horse battery";
let db: Db;
let passwordHash: string;
beforeAll(async () => {
  db = await getDb();
  passwordHash = await hashPassword(PASSWORD);
});

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The README's check for a JSON export (Operator's view, "Checking an export"), taken from the README itself, with the file as $1. */
function readmeJsonExportCheck(): string {
  const readme = readFileSync(path.join(process.cwd(), "README.md"), "utf8");
  const block = /\*\*Checking an export\*\*[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme);
  if (!block) throw new Error('README.md: no ```sh block under "Checking an export"');
  return block[1]!.replaceAll("export.json", '"$1"');
}

const n = async (q: Promise<{ n: number }[]>) => (await q)[0]!.n;

describe("export", () => {
  it("ZIP round-trip: manifest counts equal the database, every sha256 matches, a standard unzip opens it", async () => {
    const user = await createTestUser({ passwordHash, plan: "pro" });
    const ctx = contextFor(user);
    for (const name of ["One", "Two", "Three"]) {
      const p = await createProject.run({ name }, ctx);
      if (!p.ok) throw new Error(p.message);
      await createTask.run({ projectId: p.data.id, title: `${name} task` }, ctx);
      if (name === "Three") await deleteProject.run({ projectId: p.data.id }, ctx);
    }
    const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.userId, user.id));
    await db.insert(invoices).values({ userId: user.id, subscriptionId: sub!.id, plan: "pro", amountCents: 2000, status: "paid", description: "Pro" });
    await db.insert(notifications).values({ userId: user.id, toEmail: user.email, template: "t", subject: "s", body: "b" });

    const { stream, manifest: written } = buildZipExport(db, user.id);
    const zipBytes = await streamToBuffer(stream);
    const manifest = await written;
    const zip = await JSZip.loadAsync(zipBytes);
    const expected = {
      "profile.json": 1,
      "projects.json": await n(db.select({ n: sql<number>`count(*)::int` }).from(projects).where(eq(projects.ownerId, user.id))),
      "tasks.json": await n(db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(eq(tasks.ownerId, user.id))),
      "subscription.json": 1,
      "invoices.json": await n(db.select({ n: sql<number>`count(*)::int` }).from(invoices).where(eq(invoices.userId, user.id))),
      "notifications.json": await n(db.select({ n: sql<number>`count(*)::int` }).from(notifications).where(eq(notifications.userId, user.id))),
      "audit_events.json": await n(
        db
          .select({ n: sql<number>`count(*)::int` })
          .from(auditEvents)
          .where(or(eq(auditEvents.actorId, user.id), and(eq(auditEvents.targetType, "user"), eq(auditEvents.targetId, user.id)))),
      ),
      "problem_reports.json": 0,
      "sessions.json": 1,
    };
    expect(expected["projects.json"]).toBe(3);
    expect(expected["audit_events.json"]).toBeGreaterThan(0);
    const stored = JSON.parse(await zip.file("manifest.json")!.async("string"));
    expect(stored).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(stored.formatVersion).toBe(1);
    for (const [file, count] of Object.entries(expected)) {
      const entry = stored.files[file];
      expect(entry.count, file).toBe(count);
      const bytes = await zip.file(file)!.async("nodebuffer");
      expect(createHash("sha256").update(bytes).digest("hex"), file).toBe(entry.sha256);
      expect(JSON.parse(bytes.toString())).toHaveLength(count);
    }
    const readme = await zip.file("README.txt")!.async("string");
    for (const file of Object.keys(expected)) expect(readme).toContain(file);
    const projectsJson = JSON.parse(await zip.file("projects.json")!.async("string")) as { deletedAt: string | null }[];
    expect(projectsJson.filter((p) => p.deletedAt !== null)).toHaveLength(1);
    const profile = await zip.file("profile.json")!.async("string");
    expect(profile).not.toContain("passwordHash");

    const dir = mkdtempSync(path.join(tmpdir(), "bw-export-"));
    try {
      const file = path.join(dir, "export.zip");
      writeFileSync(file, zipBytes);
      const out = execFileSync("python3", ["-m", "zipfile", "-t", file]).toString();
      expect(out).toMatch(/Done testing|^$/);
      try {
        execFileSync("unzip", ["-tq", file]);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const json = buildJsonExport(db, user.id);
    const parsed = JSON.parse((await streamToBuffer(json.stream)).toString());
    expect(parsed.projects).toHaveLength(3);
    expect(parsed.manifest.files["tasks.json"].count).toBe(expected["tasks.json"]);
  });

  it("JSON: every section's sha256 in the manifest can be recomputed from the document, as the README says", async () => {
    const user = await createTestUser({ passwordHash });
    const ctx = contextFor(user);
    // Quotes, a backslash and non-ASCII text: the checksum must not depend on how they are escaped.
    for (const name of ['Café "Ω" \\ ✓', "Plain"]) {
      const p = await createProject.run({ name }, ctx);
      if (!p.ok) throw new Error(p.message);
      await createTask.run({ projectId: p.data.id, title: `${name} – first` }, ctx);
    }
    const bytes = await streamToBuffer(buildJsonExport(db, user.id).stream);
    const doc = JSON.parse(bytes.toString()) as Record<string, unknown[]> & { manifest: { files: Record<string, { sha256: string; count: number }> } };
    const sections = Object.keys(doc).filter((key) => key !== "manifest");
    expect(sections.map((s) => `${s}.json`)).toEqual(Object.keys(doc.manifest.files));

    // The README's rule: the section's records, one compact JSON object per line between "[" and "]", lines ending ",".
    const asFile = (rows: unknown[]) => (rows.length === 0 ? "[]\n" : `[\n${rows.map((row) => JSON.stringify(row)).join(",\n")}\n]\n`);
    for (const section of sections) {
      const entry = doc.manifest.files[`${section}.json`]!;
      expect(doc[section], section).toHaveLength(entry.count);
      expect(createHash("sha256").update(asFile(doc[section]!)).digest("hex"), section).toBe(entry.sha256);
    }
    expect(doc.manifest.files["projects.json"]!.count).toBe(2);
    expect(doc.manifest.files["problem_reports.json"]!.count).toBe(0);

    // The README's command, run as written (jq and sha256sum), when the machine has them.
    const dir = mkdtempSync(path.join(tmpdir(), "bw-export-json-"));
    try {
      const file = path.join(dir, "export.json");
      writeFileSync(file, bytes);
      const out = execFileSync("bash", ["-c", readmeJsonExportCheck(), "check", file], { encoding: "utf8" });
      expect(out.trim().split("\n").sort()).toEqual(sections.map((s) => `${s}: OK`).sort());
    } catch (error) {
      if (!/jq: command not found|sha256sum: command not found/.test(String((error as { stderr?: string }).stderr))) throw error;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("needs the password, gives a single-use link bound to the user and format", async () => {
    const user = await createTestUser({ passwordHash });
    const other = await createTestUser({ passwordHash });
    expect(await requestExport.run({ format: "zip", password: "wrong" }, contextFor(user))).toMatchObject({ ok: false, code: "invalid_input" });
    const issued = await requestExport.run({ format: "zip", password: PASSWORD }, contextFor(user));
    if (!issued.ok) throw new Error(issued.message);
    const token = issued.data.url.split("/").pop()!;
    expect(issued.data.url).toMatch(/^\/api\/export\/zip\//);
    expect(await startExportDownload.run({ format: "json", token }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await startExportDownload.run({ format: "zip", token }, contextFor(other))).toMatchObject({ ok: false, code: "forbidden" });
    expect(await startExportDownload.run({ format: "zip", token }, contextFor(user))).toMatchObject({ ok: true, data: { userId: user.id } });
    expect(await startExportDownload.run({ format: "zip", token }, contextFor(user))).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("is refused while impersonating, while deactivated and while switched off", async () => {
    const user = await createTestUser({ passwordHash });
    const staff = await createTestUser({ role: "support" });
    const impersonated = contextFor(user, { impersonation: { impersonatorId: staff.id, impersonatorRole: "support" } as never });
    expect(await requestExport.run({ format: "zip", password: PASSWORD }, impersonated)).toMatchObject({ ok: false, code: "read_only" });

    const previous = process.env.FLAG_EXPORTS;
    process.env.FLAG_EXPORTS = "off";
    try {
      const { isKillSwitchOn } = await import("@/lib/flags");
      expect(isKillSwitchOn("exports")).toBe(false);
      expect(await requestExport.run({ format: "zip", password: PASSWORD }, contextFor(user))).toMatchObject({ ok: false, code: "disabled" });
    } finally {
      if (previous === undefined) delete process.env.FLAG_EXPORTS;
      else process.env.FLAG_EXPORTS = previous;
    }

    await deactivateAccount.run({}, contextFor(user));
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    // A deactivated account has no session user, so the guarded path sees nobody.
    const sessionUser = await loadSessionUser(db, sessionClaims(user.id, row!.sessionVersion));
    expect(sessionUser).toBeNull();
    expect(await requestExport.run({ format: "zip", password: PASSWORD }, contextFor(sessionUser))).toMatchObject({ ok: false, code: "unauthenticated" });
  });
});
