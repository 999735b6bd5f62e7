export type { PaymentsAdapter, TopUpAuthorization, ConnectedAccount } from './adapter.ts';
export { LocalTestPaymentsAdapter } from './local-adapter.ts';
export { StripePaymentsAdapter, verifyStripeWebhook, type StripeAdapterOptions } from './stripe-adapter.ts';
export {
  cancelUnusedTopUpJob,
  captureBeforeLapseJob,
  paymentJobNames,
  payPayoutJob,
  settleTradePaymentJob,
} from './jobs.ts';
export { cancelUnusedTopUp, resumePendingTopUps } from './topup.ts';
export { captureBeforeLapse, payPayout, settleTradePayment } from './trade-payments.ts';
export { processStripeEvent } from './webhooks.ts';
