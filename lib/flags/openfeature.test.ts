import { OpenFeature } from "@openfeature/server-sdk";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestUser } from "@/test/factories";
import { saveFlagAction } from "./actions";
import { BreakwaterFlagProvider } from "./openfeature";
import { refreshFlagSnapshot } from "./store";
import { contextFor } from "@/test/factories";

const key = `of_${crypto.randomUUID().slice(0, 8)}`;

/** Saves the test's string flag serving one variant to everyone. */
async function serveVariant(variant: string, revision: string, reason: string): Promise<void> {
  const admin = await createTestUser({ role: "admin" });
  const saved = await saveFlagAction.run(
    {
      key,
      revision,
      kind: "experiment",
      valueType: "string",
      variants: JSON.stringify([{ key: variant, value: variant, weight: 1 }]),
      defaultValue: '"grey"',
      offValue: '"grey"',
      environment: "development",
      enabled: "on",
      rollout: "100",
      targets: "[]",
      rules: "[]",
      reason,
    },
    contextFor(admin),
  );
  expect(saved.ok).toBe(true);
}

beforeAll(async () => {
  await serveVariant("blue", "0", "openfeature test");
  await refreshFlagSnapshot();
  await OpenFeature.setProviderAndWait(new BreakwaterFlagProvider());
});

afterAll(async () => {
  await OpenFeature.close();
});

it("resolves through the standard API with reason, variant and config version", async () => {
  const client = OpenFeature.getClient();
  const details = await client.getStringDetails(key, "fallback", { targetingKey: "u1" });
  expect(details).toMatchObject({ value: "blue", variant: "blue", reason: "SPLIT" });
  expect(details.flagMetadata.configVersion).toBeGreaterThan(0);
  expect(await client.getBooleanValue("payments", false)).toBe(true);
});

it("unknown flags and wrong types give the caller's default with an error code", async () => {
  const client = OpenFeature.getClient();
  expect(await client.getBooleanDetails("no_such_flag", true)).toMatchObject({ value: true, errorCode: "FLAG_NOT_FOUND" });
  expect(await client.getNumberDetails(key, 7)).toMatchObject({ value: 7, errorCode: "TYPE_MISMATCH" });
});

it("the config version it reports follows each new snapshot", async () => {
  const client = OpenFeature.getClient();
  const before = (await client.getStringDetails(key, "fallback", { targetingKey: "u1" })).flagMetadata.configVersion as number;
  await serveVariant("green", "1", "openfeature test: a second version");
  await refreshFlagSnapshot(0);
  const after = await client.getStringDetails(key, "fallback", { targetingKey: "u1" });
  expect(after).toMatchObject({ value: "green", variant: "green" });
  expect(after.flagMetadata.configVersion).toBeGreaterThan(before);
});
