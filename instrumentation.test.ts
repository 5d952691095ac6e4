import { afterEach, describe, expect, it, vi } from "vitest";

/** Loads instrumentation.ts with this app environment and build phase, and a spy in place of the deploy recorder. */
async function registerWith(appEnv: string, phase?: string) {
  vi.resetModules();
  const recordDeployStart = vi.fn(async () => {});
  vi.doMock("@/lib/env", async (importOriginal) => {
    const actual = await importOriginal<typeof import("@/lib/env")>();
    return { ...actual, env: { ...actual.env, appEnv, SENTRY_DSN: undefined } };
  });
  vi.doMock("@/lib/flags", () => ({ recordDeployStart }));
  vi.stubEnv("NEXT_RUNTIME", "nodejs");
  vi.stubEnv("NEXT_PHASE", phase ?? "");
  const { register } = await import("./instrumentation");
  await register();
  return recordDeployStart;
}

afterEach(() => {
  vi.doUnmock("@/lib/env");
  vi.doUnmock("@/lib/flags");
  vi.unstubAllEnvs();
});

describe("a deployed server records its version's first start (ops rollback: since the last deploy)", () => {
  it("in production and preview, at server start", async () => {
    expect(await registerWith("production")).toHaveBeenCalledOnce();
    expect(await registerWith("preview")).toHaveBeenCalledOnce();
  });

  it("not while next build loads the file, and not in development", async () => {
    expect(await registerWith("production", "phase-production-build")).not.toHaveBeenCalled();
    expect(await registerWith("development")).not.toHaveBeenCalled();
  });
});
