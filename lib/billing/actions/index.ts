// The billing procedures: plan changes and cancellation (users), renewals and payment reconciliation (jobs).
export { cancelSubscription, changePlan } from "./plan";
export { DUNNING_DAYS, renewalKey, renewSubscription } from "./renewals";
export { reconcilePayment, refundUnbilledCharge } from "./reconcile";
export { sendQueuedCancellation } from "./cancellations";
export { enforceInvoiceRetention } from "./retention";
