import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineAction } from "@/lib/procedures";
import { contextFor, createTestUser } from "@/test/factories";
import { nextAdapters } from "./next";

// Test-only action (its name starts with "test." so the hostile-input sweep skips it).
const record = defineAction({
  name: "test.route_json",
  permission: "self:write",
  input: z.object({ note: z.string() }),
  handler: async ({ input }) => ({ note: input.note }),
  audit: { action: "project.rename", target: () => ({ type: "test", id: null }) },
});

async function routeFor() {
  const user = await createTestUser();
  const context = async () => contextFor(user);
  const { guardedRoute } = nextAdapters({ context, anonymousContext: context, onUnauthenticated: () => Promise.reject(new Error("unreachable")) });
  return guardedRoute(record);
}

const params = { params: Promise.resolve({}) };
const post = (contentType: string | null, body: string) =>
  new Request("http://app.test/api/x", { method: "POST", headers: contentType ? { "content-type": contentType } : {}, body });

describe("mutating route handlers read JSON only", () => {
  it("accepts application/json (with or without a charset)", async () => {
    const handler = await routeFor();
    for (const type of ["application/json", "application/json; charset=utf-8", "Application/JSON"]) {
      const response = await handler(post(type, JSON.stringify({ note: "hi" })), params);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { note: "hi" } });
    }
  });

  it.each([
    ["text/plain (a cross-site form with enctype=text/plain)", "text/plain"],
    ["a url-encoded form", "application/x-www-form-urlencoded"],
    ["a multipart form", "multipart/form-data; boundary=x"],
    ["no content type", null],
    ["a JSON lookalike", "application/jsonp"],
  ])("refuses %s with 415, before the procedure runs", async (_label, type) => {
    const handler = await routeFor();
    const response = await handler(post(type, JSON.stringify({ note: "forged" })), params);
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: "invalid_input" } });
  });
});
