import { z } from "zod";
import { ActionFailure, defineAction } from "@/lib/procedures";
import { getBreaker } from "./index";
import { BREAKER_NAMES, type BreakerName } from "./config";

// Admin (or ops CLI) override of a breaker. The store write happens in `prepare` (it may be Redis); the audit event commits after it.
export const forceBreaker = defineAction({
  name: "breakers.force",
  permission: ["admin:write", "system"],
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({
    name: z.enum(BREAKER_NAMES as [BreakerName, ...BreakerName[]], "Choose payments or email."),
    mode: z.enum(["open", "closed", "reset"], "Choose force open, force closed or reset."),
    reason: z.string().trim().min(3, "Say why, in a few words.").max(500),
  }),
  prepare: async ({ input, user, request }) => {
    try {
      const by = user ? "admin" : request.system;
      const state = await getBreaker(input.name).force(input.mode, `${input.mode} by ${by}: ${input.reason}`, user?.id ?? request.system);
      return { state: state.state, forced: state.forced };
    } catch (error) {
      throw new ActionFailure("dependency_down", error instanceof Error ? error.message : "The breaker store is unreachable; nothing was changed.");
    }
  },
  handler: async ({ input, prepared }) => ({ name: input.name, ...prepared }),
  audit: {
    action: "breaker.force",
    target: ({ input }) => ({ type: "breaker", id: input.name }),
    metadata: ({ input, data }) => ({ mode: input.mode, reason: input.reason, after: data }),
  },
});
