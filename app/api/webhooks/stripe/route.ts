import { stripeWebhookAnswer } from "@/lib/providers";
import { receiveStripeWebhook } from "@/lib/providers/actions";
import { webhookRoute } from "@/lib/web";

// Stripe retries anything but a 2xx for three days: an unverifiable event gets 400, a duplicate or unused one 200.
export const POST = webhookRoute(receiveStripeWebhook, { principal: "webhook:stripe", signatureHeader: "stripe-signature", respond: stripeWebhookAnswer });
