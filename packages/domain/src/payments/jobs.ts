// Names of the background jobs that talk to the card processor. Each is enqueued in the same
// transaction as the state change that calls for it, and each handler is safe to run twice.

/** Captures, cancels or refunds a finished trade's top-up and pays the receiver. */
export const settleTradePaymentJob = 'payments.settle';
/** Captures a top-up into the platform balance before its card authorization lapses. */
export const captureBeforeLapseJob = 'payments.capture-before-lapse';
/** Cancels an authorization that arrived for a proposal that can no longer open a trade. */
export const cancelUnusedTopUpJob = 'payments.cancel-unused-top-up';
/** Pays one pending payout once its trader is verified and has a connected account. */
export const payPayoutJob = 'payments.pay-payout';

export const paymentJobNames = [
  settleTradePaymentJob,
  captureBeforeLapseJob,
  cancelUnusedTopUpJob,
  payPayoutJob,
] as const;
