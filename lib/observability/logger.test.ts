import { Writable } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { defineAction } from "@/lib/procedures";
import { contextFor, createTestUser } from "@/test/factories";
import { createLogger, logger } from "./logger";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger(stream, { level: "info" }) };
}

afterEach(() => vi.restoreAllMocks());

describe("structured logs", () => {
  it("writes one JSON line with level, time and the fields given", () => {
    const { lines, log } = capture();
    log.info({ requestId: "r-1", userId: "u-1", action: "report.submit", outcome: "ok" }, "action ok");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "info", requestId: "r-1", userId: "u-1", action: "report.submit", outcome: "ok", msg: "action ok", service: "breakwater" });
    expect(new Date(String(lines[0]!.time)).toISOString()).toBe(lines[0]!.time);
  });

  it("redacts secrets and emails at the top level and nested, keeping everything else", () => {
    const { lines, log } = capture();
    log.info(
      {
        password: "hunter2",
        token: "tok-top",
        user: { email: "a@example.test", password: "hunter3", passwordHash: "$2b$hash" },
        req: { headers: { authorization: "Bearer abc.def", cookie: "authjs.session-token=xyz", accept: "text/html" } },
        config: { sentry: { dsn: "https://key@sentry.example/1", apiKey: "k-123" } },
        provider: { clientSecret: "cs", secret: "s" },
      },
      "with secrets",
    );
    const line = JSON.stringify(lines[0]);
    for (const secret of ["hunter2", "hunter3", "$2b$hash", "tok-top", "abc.def", "xyz", "key@sentry", "k-123", '"cs"', '"s"']) {
      expect(line).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({
      password: "[redacted]",
      user: { email: "[redacted]", password: "[redacted]" },
      req: { headers: { authorization: "[redacted]", accept: "text/html" } },
    });
  });

  it("the guarded path logs request id, user id, action and outcome for every action", async () => {
    const info = vi.spyOn(logger, "info");
    const action = defineAction({
      name: "test.logged",
      permission: "self:write",
      input: z.object({ password: z.string() }),
      handler: async () => ({ done: true }),
      audit: { action: "report.submit", target: () => ({ type: "problem_report", id: null }) },
    });
    const user = await createTestUser();
    const ctx = contextFor(user, { requestId: "req-logged" });
    await action.run({ password: "never-logged" }, ctx);
    await action.run({}, ctx);
    const calls = info.mock.calls.map((c) => c[0] as Record<string, unknown>);
    expect(calls).toContainEqual(expect.objectContaining({ action: "test.logged", outcome: "ok", userId: user.id, requestId: "req-logged" }));
    expect(calls).toContainEqual(expect.objectContaining({ action: "test.logged", outcome: "invalid_input", userId: user.id, requestId: "req-logged" }));
    expect(JSON.stringify(calls)).not.toContain("never-logged");
  });
});
