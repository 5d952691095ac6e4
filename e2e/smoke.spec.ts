import { execFile } from "node:child_process";
import fs from "node:fs";
import { expect, test } from "@playwright/test";

/**
 * The post-deploy smoke suite, run as a deploy pipeline runs it
 * (`npm run smoke -- --base <url>`, .github/workflows/smoke.yml) against this
 * `next start`: it signs in over HTTP with the seed's demo logins, reads every
 * page and GET route of app/ as a visitor and as each role for 10 s at two
 * concurrent users, sends a problem report per viewer, and must exit 0 with
 * every scenario run and none skipped.
 */
test("npm run smoke passes against the production build", async ({ baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const json = testInfo.outputPath("smoke.json");
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile("npm", ["run", "--silent", "smoke", "--", "--base", baseURL!, "--duration", "10", "--users", "2", "--json", json], { timeout: 170_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
  await testInfo.attach("smoke report", { body: output, contentType: "text/plain" });
  expect(code, output).toBe(0);
  const report = JSON.parse(fs.readFileSync(json, "utf8")) as { ok: boolean; scenarios: { name: string; requests: number; skipped: string | null }[] };
  expect(report.ok).toBe(true);
  expect(report.scenarios.filter((s) => s.skipped || s.requests === 0).map((s) => s.name)).toEqual([]);
  // Every role signed in over HTTP, and the pages a deploy is judged by were read.
  const names = report.scenarios.map((s) => s.name);
  for (const name of ["sign in as user (credentials)", "sign in as support (credentials)", "sign in as admin (credentials)", "GET /api/health/ready", "GET /status", "GET /admin/users/[id]", "POST /api/reports (problem report)"]) {
    expect(names).toContain(name);
  }
});
