import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { flags } from "@/db/schema";
import { getDb } from "@/lib/database";
import { ATTESTATIONS } from "@/lib/status";
import { signOffAttestation } from "@/lib/status/actions";
import { contextFor, createTestUser, flagFormInput } from "@/test/factories";
import { decideChangeAction, saveFlagAction } from "./actions";

const input = (key: string, over: Record<string, string> = {}) => flagFormInput(key, { reason: "readiness gate test", ...over });

// Readiness sign-offs are global to a database: this file has its own in both phases.
it(
  "a release goes to 100 % in production only once every GA-blocking item is signed off; steps below 100 % are not held",
  async () => {
    const [admin, second] = [await createTestUser({ role: "admin" }), await createTestUser({ role: "admin" })];
    const key = `rr_${crypto.randomUUID().slice(0, 8)}`;
    expect((await saveFlagAction.run(input(key), contextFor(admin))).ok).toBe(true);

    const full = await saveFlagAction.run(input(key, { revision: "1", rollout: "100" }), contextFor(admin));
    expect(full).toMatchObject({ ok: false, code: "conflict", fieldErrors: { rollout: expect.any(String) } });
    const blocking = ATTESTATIONS.filter((a) => a.gating === "ga-blocking");
    for (const a of blocking) expect(full.ok ? "" : full.message).toContain(a.title);
    // Half-way is a step a second admin can approve as before.
    const half = await saveFlagAction.run(input(key, { revision: "1", rollout: "50" }), contextFor(admin));
    expect(half).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });

    // Signed off: the 100 % request waits for a second admin like any widening, and applies (checked again then).
    for (const a of blocking) {
      expect((await signOffAttestation.run({ attestation: a.key, note: "checked for the readiness gate test" }, contextFor(admin))).ok).toBe(true);
    }
    const ready = await saveFlagAction.run(input(key, { revision: "1", rollout: "100" }), contextFor(admin));
    expect(ready).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });
    const requestId = ready.ok ? ready.data.pendingApproval! : "";
    expect(await decideChangeAction.run({ requestId, decision: "approve", reason: "ready for everyone" }, contextFor(second))).toMatchObject({ ok: true });
    const [row] = await (await getDb()).select().from(flags).where(eq(flags.key, key));
    expect(row!.environments.production).toMatchObject({ enabled: true, rollout: 100 });
  },
);

it("holds only releases: an experiment or a development rollout to 100 % is not a launch", async () => {
  const admin = await createTestUser({ role: "admin" });
  const key = `rr_${crypto.randomUUID().slice(0, 8)}`;
  expect((await saveFlagAction.run(input(key, { environment: "development", rollout: "100" }), contextFor(admin))).ok).toBe(true);
  const experiment = `rr_${crypto.randomUUID().slice(0, 8)}`;
  expect((await saveFlagAction.run(input(experiment, { kind: "experiment" }), contextFor(admin))).ok).toBe(true);
  expect(await saveFlagAction.run(input(experiment, { kind: "experiment", revision: "1", rollout: "100" }), contextFor(admin))).toMatchObject({ ok: true, data: { pendingApproval: expect.any(String) } });
});
