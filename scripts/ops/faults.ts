import { parseFaults, setFaults } from "@/lib/providers";
import type { OpsCommand } from "./registry";

// `faults set payments fail=100%` · `faults clear payments`
export const faultsCommand: OpsCommand = {
  summary: "set or clear fault injection for a fake provider (payments, email)",
  async run([verb, provider, spec]) {
    if (!provider || !["payments", "email"].includes(provider) || !["set", "clear"].includes(verb ?? "")) {
      console.error("Usage: faults set <payments|email> fail=50%,timeout=10%,latency=200ms | faults clear <payments|email>");
      return 2;
    }
    const faults = verb === "clear" ? parseFaults("") : parseFaults(spec);
    await setFaults(provider, faults);
    console.log(`${provider} faults: ${JSON.stringify(faults)}`);
  },
};
