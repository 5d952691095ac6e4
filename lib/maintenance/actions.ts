import "server-only";
import { z } from "zod";
import { actorLabel, actorOf } from "@/lib/audit";
import { defineAction } from "@/lib/procedures";
import { forgetMaintenance, writeMaintenance } from "./state";

const REASON_MIN = 3;
const REASON_MAX = 500;

export const setMaintenanceInput = z.object({
  on: z.union([z.boolean(), z.enum(["on", "off"]).transform((v) => v === "on")], "Choose on or off."),
  reason: z
    .string("Give a reason.")
    .trim()
    .min(REASON_MIN, `Give a reason (at least ${REASON_MIN} characters).`)
    .max(REASON_MAX, `Keep the reason under ${REASON_MAX} characters.`),
});

// The one switch: admins flip it from the admin overview, operators with `npm run ops -- maintenance on|off` (cli:ops).
// It is itself exempt from maintenance, or nobody could turn maintenance off again.
export const setMaintenanceAction = defineAction({
  name: "system.set_maintenance",
  permission: ["admin:write", "system"],
  allowDuringMaintenance: true,
  input: setMaintenanceInput,
  handler: async ({ tx, request, input }) => writeMaintenance(tx, { active: input.on, reason: input.reason, by: actorLabel(actorOf(request)) }),
  // This instance serves the new state from the next request on (the status snapshot's signature includes it).
  afterCommit: async () => forgetMaintenance(),
  audit: {
    action: "system.maintenance",
    target: () => ({ type: "system", id: "maintenance" }),
    metadata: ({ input, data, request }) => ({ reason: input.reason, before: data?.before.active, after: data?.after.active, via: request.via }),
  },
});
