// Actions live in ./actions and page reads in ./queries (import those from "@/lib/billing/actions" / "/queries"): the guarded path must not be imported back through this face.
export { findSubscription, listInvoices } from "./reads";
export { PLANS, formatCents, BILLING_PERIOD_DAYS, type Plan } from "./constants";
export { queueProviderCancellation } from "./cancellations";
export { applyFailedPayment, invoiceForCharge, markInvoiceRefunded, paidInvoicesSince } from "./provider-events";
