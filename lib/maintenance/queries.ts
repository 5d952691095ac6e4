import "server-only";
import { z } from "zod";
import { hasPermission } from "@/lib/auth";
import { defineQuery } from "@/lib/procedures";
import { readMaintenance } from "./state";

/** The admin control: the switch as stored now, and whether this viewer may flip it. */
export const maintenanceControl = defineQuery({
  name: "system.maintenance_control",
  permission: "admin:read",
  input: z.object({}),
  handler: async ({ db, user }) => ({ maintenance: await readMaintenance(db), canChange: hasPermission(user.role, "admin:write") }),
});
