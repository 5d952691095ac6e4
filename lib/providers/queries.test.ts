import { describe, expect, it } from "vitest";
import { contextFor, createTestUser } from "@/test/factories";
import { providers } from "./index";
import { outboxMessages } from "./queries";

describe("outbox", () => {
  it("refuses a plain user", async () => {
    expect(await outboxMessages.run({}, contextFor(await createTestUser()))).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("shows staff what the development email provider sent, newest first; only admins read the bodies", async () => {
    const subject = `Outbox test ${crypto.randomUUID()}`;
    await providers.email.send({ to: "someone@example.test", subject, text: "Hello.", idempotencyKey: crypto.randomUUID() });
    const asSupport = await outboxMessages.run({}, contextFor(await createTestUser({ role: "support" })));
    expect(asSupport.ok).toBe(true);
    if (!asSupport.ok) return;
    // Other suites may send mail meanwhile (the Postgres phase shares one database): find ours by its subject.
    expect(asSupport.data.find((m) => m.subject === subject)).toMatchObject({ toEmail: "someone@example.test", subject, body: null, createdAt: expect.any(Date) });
    const asAdmin = await outboxMessages.run({}, contextFor(await createTestUser({ role: "admin" })));
    expect(asAdmin.ok).toBe(true);
    if (!asAdmin.ok) return;
    expect(asAdmin.data.find((m) => m.subject === subject)).toMatchObject({ subject, body: "Hello." });
  });
});
