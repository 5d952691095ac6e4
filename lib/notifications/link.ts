import { after } from "next/server";
import { defineLink } from "@/lib/safety";
import { logger } from "@/lib/observability";
import { deliverNotifications, queueNotification, type NotificationInput } from "./index";

/**
 * Work to do once the response has gone: with Next's `after` inside a request
 * (the user waits for nothing but their change), inline anywhere else — jobs'
 * own scripts, the ops CLI, tests — where there is no response to wait for.
 */
async function afterResponse(work: () => Promise<unknown>): Promise<void> {
  try {
    after(work);
  } catch {
    // `after` throws outside a request scope.
    await work();
  }
}

/**
 * The transactional outbox: `notify()` queues an email in the action's
 * transaction, so no commit means no email, and the queued rows are
 * delivered once the change has committed, off the request path (the
 * delivery job retries what could not be sent; a row is claimed before it is
 * sent, so the two never send it twice).
 */
export const outbox = defineLink<object, { notify: (notification: NotificationInput) => Promise<void> }>({
  name: "outbox",
  provide: (call, tx) => ({
    notify: async (notification) => {
      const queued = (call.state.queued ??= []) as string[];
      queued.push(await queueNotification(tx, notification));
    },
  }),
  around: async (call, next) => {
    const result = await next();
    const queued = call.state.queued as string[] | undefined;
    if (result.ok && queued?.length) {
      await afterResponse(() => deliverNotifications(queued).catch((error: unknown) => logger.error({ err: error, action: call.def.name }, "after-commit delivery failed")));
    }
    return result;
  },
});
