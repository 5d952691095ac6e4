import { z } from "zod";
import { env } from "@/lib/env";
import { ActionFailure, defineAction } from "@/lib/safety";
import { setFaults } from "./faults";

const percent = z.coerce.number().int("Whole percent only.").min(0, "0 to 100.").max(100, "0 to 100.");

// Fault injection for the fake providers, from the admin dev panel. Never in production: there the providers are real.
export const setProviderFaults = defineAction({
  name: "providers.set_faults",
  permission: "admin:write",
  rateLimit: { policy: "admin", key: ({ user }) => `user:${user.id}` },
  input: z.object({
    provider: z.enum(["payments", "email"], "Choose payments or email."),
    failPercent: percent,
    timeoutPercent: percent,
    latencyMs: z.coerce.number().int("Whole milliseconds only.").min(0, "0 or more.").max(60_000, "At most 60000 ms."),
  }),
  handler: async ({ tx, input }) => {
    if (env.appEnv === "production") throw new ActionFailure("forbidden", "Fault injection is not available in production.");
    const { provider, ...faults } = input;
    await setFaults(provider, faults, tx);
    return input;
  },
  audit: {
    action: "provider.faults_set",
    target: (input) => ({ type: "provider", id: input.provider }),
    metadata: (input) => ({ failPercent: input.failPercent, timeoutPercent: input.timeoutPercent, latencyMs: input.latencyMs }),
  },
});
