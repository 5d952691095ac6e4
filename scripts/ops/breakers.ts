import { BREAKER_NAMES, breakerOverview, type BreakerName } from "@/lib/breakers";
import { forceBreaker } from "@/lib/breakers/actions";
import { systemContext } from "@/lib/safety";
import type { OpsCommand } from "./command";

// `breakers list` · `breakers open|close|reset <name> <reason...>` (for when the admin UI is unreachable; the same guarded action, audited as cli:ops)
export const breakersCommand: OpsCommand = {
  summary: "show breakers (state, cooldown, last transitions) or force one open/closed/reset with a reason (audited as cli:ops)",
  verbs: ["list", "open", "close", "reset"],
  async run([verb, name, ...reasonWords]) {
    if (verb === "list" || verb === undefined) {
      for (const b of await breakerOverview()) {
        const forced = b.forced ? ` (forced ${b.forced})` : "";
        console.log(`${b.name.padEnd(10)} ${b.state}${forced} store=${b.store}${b.storeDown ? " DOWN" : ""} cooldown=${Math.ceil(b.cooldownRemainingMs / 1000)}s`);
        for (const t of b.transitions.slice(0, 5)) console.log(`    ${t.at.toISOString()} ${t.fromState} -> ${t.toState}: ${t.reason}`);
      }
      return 0;
    }
    const mode = ({ open: "open", close: "closed", reset: "reset" } as const)[verb as "open" | "close" | "reset"];
    const reason = reasonWords.join(" ").trim();
    if (!mode || !BREAKER_NAMES.includes(name as BreakerName) || reason.length < 3) {
      console.error(`Usage: breakers list | breakers open|close|reset <${BREAKER_NAMES.join("|")}> <reason>`);
      return 2;
    }
    const result = await forceBreaker.run({ name, mode, reason }, systemContext("cli:ops"));
    if (!result.ok) {
      console.error(`Refused (${result.code}): ${result.message}`);
      return 1;
    }
    console.log(`${name}: ${result.data.state}${result.data.forced ? ` (forced ${result.data.forced})` : ""}`);
    return 0;
  },
};
