import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPlan, EXCLUDED, MUST_ANSWER_200, routeKeys, UncoveredRoutes, VIEWERS } from "./plan";
import { appRoutes, type AppRoute } from "./routes";

const APP = path.join(process.cwd(), "app");
const routes = appRoutes(APP);

/** Every page.tsx and route.ts under app/, found without the route reader's rules. */
function filesOnDisk(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => /(^|\/)(page\.tsx|route\.ts)$/.test(f));
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bw-smoke-app-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the smoke plan covers the app", () => {
  it("reads every page and route handler in app/, with URL patterns as Next.js maps them", () => {
    expect(routes.map((r) => r.file).sort()).toEqual(filesOnDisk(APP).sort());
    const byFile = (file: string) => routes.find((r) => r.file === file)!;
    expect(byFile("(site)/legal/data-retention/page.tsx")).toMatchObject({ pattern: "/legal/data-retention", kind: "page", methods: ["GET"], params: [] });
    // The status page is a document served by a route handler (no React page, no script).
    expect(byFile("(site)/status/route.ts")).toMatchObject({ pattern: "/status", kind: "handler", methods: ["GET"], params: [] });
    expect(byFile("page.tsx").pattern).toBe("/");
    expect(byFile("(app)/projects/[id]/page.tsx")).toMatchObject({ pattern: "/projects/[id]", params: ["id"] });
    expect(byFile("api/reports/route.ts")).toMatchObject({ kind: "handler", methods: ["POST"] });
    expect(byFile("api/auth/[...nextauth]/route.ts").params).toEqual(["nextauth"]);
  });

  it("has a scenario for every page and every method of every route handler, or a stated reason to leave it out", () => {
    const plan = buildPlan(routes);
    const covered = new Set(plan.flatMap((s) => s.covers));
    const left = routeKeys(routes).filter((key) => !covered.has(key) && !EXCLUDED[key.split(" ")[1]!]);
    expect(left).toEqual([]);
    for (const reason of Object.values(EXCLUDED)) expect(reason.length).toBeGreaterThan(20);
    // Pages are read by a visitor and by every role; the endpoints a deploy needs must answer exactly 200.
    for (const page of routes.filter((r) => r.kind === "page" && !EXCLUDED[r.pattern])) {
      expect(plan.find((s) => s.name === `GET ${page.pattern}`)?.viewers).toEqual(VIEWERS);
    }
    for (const pattern of MUST_ANSWER_200) expect(plan.find((s) => s.name === `GET ${pattern}`)?.expectStatus).toEqual([200]);
    expect(plan.filter((s) => s.kind === "write").flatMap((s) => s.viewers)).toEqual(expect.arrayContaining([...VIEWERS]));
  });

  it("a new static page is covered without editing anything", () => {
    fs.mkdirSync(path.join(tmp, "(app)", "reports-hub"), { recursive: true });
    fs.writeFileSync(path.join(tmp, "(app)", "reports-hub", "page.tsx"), "export default function Page() { return null; }\n");
    const withPage = [...routes, ...appRoutes(tmp)];
    expect(buildPlan(withPage).find((s) => s.name === "GET /reports-hub")?.viewers).toEqual(VIEWERS);
  });

  it("fails, naming the file, for a dynamic page it cannot fill or a handler it never sends", () => {
    const widget: AppRoute = { pattern: "/admin/widgets/[widget]", kind: "page", file: "admin/widgets/[widget]/page.tsx", methods: ["GET"], params: ["widget"] };
    const hook: AppRoute = { pattern: "/api/hooks/github", kind: "handler", file: "api/hooks/github/route.ts", methods: ["POST"], params: [] };
    const error = (() => {
      try {
        buildPlan([...routes, widget, hook]);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UncoveredRoutes);
    expect((error as UncoveredRoutes).problems).toEqual([
      "GET /admin/widgets/[widget] (admin/widgets/[widget]/page.tsx): no way to fill [widget]; add it to RESOLVERS",
      "POST /api/hooks/github (api/hooks/github/route.ts): no scenario sends it; add one to WRITES or a reason to EXCLUDED",
    ]);
  });
});
