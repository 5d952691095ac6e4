import { env } from "@/lib/env";
import { parseFaults } from "@/lib/providers";
import { clearProviderFaults, setProviderFaults } from "@/lib/providers/actions";
import { systemContext } from "@/lib/safety";
import type { OpsCommand } from "./command";

// `faults set payments fail=100%` · `faults clear payments` (through the guarded actions, audited as cli:ops; refused in production)
export const faultsCommand: OpsCommand = {
  summary: "set or clear fault injection for a fake provider (payments, email); not in production",
  verbs: ["set", "clear"],
  async run([verb, provider, spec]) {
    if (env.appEnv === "production") {
      console.error("Refused: fault injection is not available in production (the providers there are real).");
      return 1;
    }
    if (!provider || (provider !== "payments" && provider !== "email") || (verb !== "set" && verb !== "clear")) {
      console.error("Usage: faults set <payments|email> fail=50%,timeout=10%,latency=200ms | faults clear <payments|email>");
      return 2;
    }
    const result =
      verb === "clear"
        ? await clearProviderFaults.run({ provider }, systemContext("cli:ops"))
        : await setProviderFaults.run({ provider, ...parseFaults(spec) }, systemContext("cli:ops"));
    if (!result.ok) {
      console.error(`Refused (${result.code}): ${result.message}`);
      return 1;
    }
    console.log(verb === "clear" ? `${provider} faults cleared (the environment's setting, if any, applies again)` : `${provider} faults: ${JSON.stringify(result.data)}`);
    return 0;
  },
};
