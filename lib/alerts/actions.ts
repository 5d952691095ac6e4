import "server-only";
import { z } from "zod";
import { defineAction } from "@/lib/procedures";
import { raiseAlert } from "./index";

/**
 * A test alert, so an operator can see the pager, the channel and the
 * inbox receive one before a real outage does. Raised as a page (every
 * destination) and delivered by the next alert_delivery run; it resolves
 * itself two minutes later, which sends the "resolved" messages too.
 */
export const sendTestAlert = defineAction({
  name: "alerts.send_test",
  permission: "admin:write",
  rateLimit: { policy: "admin", by: "user" },
  input: z.object({}).strict(),
  handler: async ({ tx, user }) => {
    const { alert } = await raiseAlert(tx, {
      dedupKey: `test:${crypto.randomUUID()}`,
      source: "test_alert",
      severity: "page",
      title: "Test alert from Breakwater: no action needed",
      detail: `Sent by ${user.email} from /admin/alerts to check that alerts reach a person.`,
      runbook: "alert-delivery",
    });
    return { alertId: alert.id };
  },
  audit: { action: "alert.test", target: ({ data }) => ({ type: "alert", id: data?.alertId ?? null }) },
});
