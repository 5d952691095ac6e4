export { changePlan, cancelSubscription } from "./actions";
export { findSubscription, listInvoices } from "./queries";
export { PLANS, PLAN_IDS, formatCents, BILLING_PERIOD_DAYS } from "./plans";
