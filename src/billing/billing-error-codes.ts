/** Error codes of billing (statuses: src/common/errors/error-catalogue.ts). */
export enum BillingErrorCode {
  CheckoutInProgress = 'checkout_in_progress',
  NoSubscription = 'no_subscription',
  PlanUnchanged = 'plan_unchanged',
  SubscriptionActive = 'subscription_active',
}
