import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { requestMinutes } from "@/db/schema";
import { getDb } from "@/lib/database";
import { flushRequestOutcomes, recordPageCrash, withRequestOutcome } from "./outcomes";

async function counted(route: string) {
  await flushRequestOutcomes();
  const rows = await (await getDb()).select().from(requestMinutes).where(eq(requestMinutes.route, route));
  return { total: rows.reduce((n, r) => n + r.total, 0), errors: rows.reduce((n, r) => n + r.errors, 0) };
}

const answer = (status: number, code?: string) => async (_request: Request) => new Response("{}", { status, headers: code ? { "X-Error-Code": code } : {} });

it("counts a route's faults as errors: a 500, a throw, a dependency down; not a deliberate 503 (a kill switch, maintenance) or a 4xx", async () => {
  const route = `test-${crypto.randomUUID().slice(0, 8)}`;
  const request = () => new Request("http://app/api/x");
  await withRequestOutcome(route, answer(500))(request());
  await withRequestOutcome(route, answer(503, "dependency_down"))(request());
  await withRequestOutcome(route, async (_request: Request) => Promise.reject(new Error("boom")))(request()).catch(() => {});
  await withRequestOutcome(route, answer(503, "disabled"))(request());
  await withRequestOutcome(route, answer(503, "maintenance"))(request());
  await withRequestOutcome(route, answer(429, "rate_limited"))(request());
  await withRequestOutcome(route, answer(200))(request());
  expect(await counted(route)).toEqual({ total: 7, errors: 3 });
});

it("counts a request once, under the outermost wrapper's route", async () => {
  const outer = `outer-${crypto.randomUUID().slice(0, 8)}`;
  const inner = `inner-${crypto.randomUUID().slice(0, 8)}`;
  await withRequestOutcome(outer, withRequestOutcome(inner, answer(500)))(new Request("http://app/api/x"));
  expect(await counted(outer)).toEqual({ total: 1, errors: 1 });
  expect(await counted(inner)).toEqual({ total: 0, errors: 0 });
});

it("a crashed page render adds a failure to the pages minute", async () => {
  const before = await counted("pages");
  recordPageCrash();
  expect(await counted("pages")).toEqual({ total: before.total, errors: before.errors + 1 });
});
