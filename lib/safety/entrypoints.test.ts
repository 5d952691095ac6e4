import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findUnguardedEntrypoints } from "@/test/entrypoints";

/**
 * Route handlers that mutate without guardedRoute(), each with the reason it
 * is safe. Adding one here is a reviewed decision, not a way around the test.
 */
const ALLOWED_ROUTES = new Map<string, string>([
  ["app/api/auth/[...nextauth]/route.ts#POST", "Auth.js's own endpoints (CSRF-checked); sign-in outcomes are recorded by recordSignInAttempt, sign-out by the signOut event"],
]);

function appFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return appFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every procedure an app file exposes: `serverAction(x)`, `guardedRoute(x)`, `routeQuery(x)`, `loadPage(x)` with x imported from lib. */
function exposedProcedures(file: string, source: string): { file: string; module: string; name: string }[] {
  const imported = new Map<string, { module: string; name: string }>();
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*"(@\/lib\/[^"]+)"/g)) {
    for (const spec of m[1]!.split(",").map((x) => x.trim()).filter(Boolean)) {
      const [name, alias] = spec.replace(/^type\s+/, "").split(/\s+as\s+/);
      imported.set((alias ?? name)!.trim(), { module: m[2]!, name: name!.trim() });
    }
  }
  return [...source.matchAll(/\b(?:serverAction|guardedRoute|routeQuery|loadPage)\(\s*([A-Za-z_$][\w$]*)/g)]
    .map((m) => imported.get(m[1]!))
    .filter((x): x is { module: string; name: string } => Boolean(x))
    .map((x) => ({ file, ...x }));
}

describe("every mutation entrypoint goes through the guarded path", () => {
  it("exposes no system-only procedure (jobs and the ops CLI) to the web", async () => {
    const root = process.cwd();
    const exposed = appFiles(path.join(root, "app")).flatMap((f) => exposedProcedures(path.relative(root, f), fs.readFileSync(f, "utf8")));
    expect(exposed.length).toBeGreaterThan(30);
    const systemOnly: string[] = [];
    for (const { file, module, name } of exposed) {
      const proc = (await import(/* @vite-ignore */ module.replace(/^@\//, `${root}/`)))[name] as { definition: { permission: unknown } } | undefined;
      expect({ file, name, found: Boolean(proc?.definition) }).toEqual({ file, name, found: true });
      const p = proc!.definition.permission;
      if ((Array.isArray(p) ? p : [p]).every((x) => x === "system")) systemOnly.push(`${file}: ${name}`);
    }
    expect(systemOnly).toEqual([]);
  }, 120_000);

  it("finds no unwrapped server action or mutating route handler in app/", () => {
    const root = process.cwd();
    const files = appFiles(path.join(root, "app")).map((f) => path.relative(root, f).split(path.sep).join("/"));
    expect(files.length).toBeGreaterThan(10);
    const violations = files.flatMap((file) => findUnguardedEntrypoints(file, fs.readFileSync(file, "utf8"), new Set(ALLOWED_ROUTES.keys())));
    expect(violations).toEqual([]);
  });

  it("gives the webhook principal only to system-only procedures", async () => {
    const { nextAdapters } = await import("./next");
    const { webhookRoute } = nextAdapters({ context: async () => { throw new Error("unused"); }, anonymousContext: async () => { throw new Error("unused"); }, onUnauthenticated: async () => { throw new Error("unused"); } });
    const userFacing = { kind: "action", definition: { name: "x.user_facing", permission: "self:write" }, run: async () => ({ ok: true, data: null }) } as const;
    expect(() => webhookRoute(userFacing as never, { principal: "webhook:stripe", signatureHeader: "stripe-signature" })).toThrow(/must be system-only/);
  });

  it("actually checks something: the app declares guarded actions", () => {
    const actionFiles = appFiles(path.join(process.cwd(), "app")).filter((f) => fs.readFileSync(f, "utf8").includes("serverAction("));
    expect(actionFiles.length).toBeGreaterThan(2);
  });

  // The checker itself, on files written to break it.
  it.each([
    ["a plain exported server action", `"use server";\nexport async function rename(input: unknown) { return input; }`, "rename"],
    ["a const wrapped in the wrong helper", `"use server";\nexport const rename = somethingElse(def);`, "rename"],
    ["an inline 'use server' function", `export default function Page() { async function go() { "use server"; } return null; }`, "go"],
    ["a re-export", `"use server";\nexport { rename } from "./x";`, `export { rename } from "./x";`],
    ["a bare POST handler", `export async function POST(req: Request) { return new Response(); }`, "POST"],
    ["a bare DELETE const", `export const DELETE = async () => new Response();`, "DELETE"],
  ])("flags %s", (_label, source, name) => {
    const file = source.includes("POST") || source.includes("DELETE") ? "app/api/x/route.ts" : "app/x/actions.ts";
    const violations = findUnguardedEntrypoints(file, source);
    expect(violations.map((v) => v.name)).toContain(name);
  });

  it.each([
    ["a guarded server action", `"use server";\nexport const rename = serverAction(projects.rename);`],
    ["a guarded POST", `export const POST = guardedRoute(def);`],
    ["a signed webhook", `export const POST = webhookRoute(def, { principal: "webhook:stripe", signatureHeader: "stripe-signature" });`],
    ["a GET handler", `export async function GET() { return new Response(); }`],
  ])("accepts %s", (_label, source) => {
    expect(findUnguardedEntrypoints(source.includes("GET") || source.includes("POST") ? "app/api/x/route.ts" : "app/x/actions.ts", source)).toEqual([]);
  });
});
