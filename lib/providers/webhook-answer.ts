/** The answer Stripe gets: 400 for an event we could not verify (never retried into success), 200 for anything verified. */
export function stripeWebhookAnswer(data: { outcome: string; detail: string }): Response {
  return data.outcome === "rejected" ? Response.json({ error: { code: "invalid_signature", message: data.detail } }, { status: 400 }) : Response.json({ received: true, outcome: data.outcome });
}
