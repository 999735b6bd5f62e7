import { Suspense, lazy, useState } from 'react';
import { Link } from 'react-router-dom';

import { Alert, StatusMessage, formatCredits, formatCurrency } from '@ts/ui';

import { describeError } from '../errors.ts';
import { trpc, type Proposal, type RouterOutputs } from '../trpc.ts';

export type PaymentSettings = RouterOutputs['payments']['settings'];
export type TopUpView = RouterOutputs['payments']['topUp'];

// Loaded only when a publishable key is configured, so test mode never fetches Stripe.js.
const StripeTopUpForm = lazy(() => import('./StripeTopUpForm.tsx'));

/** Interval of the poll for the trade that Stripe's webhook opens after card entry. */
const tradeOpenPollMs = 2_000;

type Terms = Pick<Proposal, 'legs' | 'cashDiffMinor' | 'payerId'>;

function sumValues(legs: Terms['legs']): number | null {
  if (legs.some((leg) => leg.ticket.valueMinor === null)) {
    return null;
  }

  return legs.reduce((total, leg) => total + (leg.ticket.valueMinor ?? 0), 0);
}

/**
 * Shows the whole deal from one trader's side: the credits of the tickets given and received,
 * and the cash top-up that evens out the difference, with who pays it.
 */
export function CashTerms({ terms, myId }: { terms: Terms; myId: string }) {
  const give = sumValues(terms.legs.filter((leg) => leg.fromUserId === myId));
  const get = sumValues(terms.legs.filter((leg) => leg.toUserId === myId));
  const cash = terms.cashDiffMinor;
  const iPay = terms.payerId === myId;
  const credits = (minor: number | null) =>
    minor === null ? 'not valued yet' : formatCredits(minor);

  return (
    <section className="panel" aria-label="Value of the swap">
      <dl className="facts">
        <dt>You give</dt>
        <dd>Ticket worth {credits(give)}</dd>
        <dt>You get</dt>
        <dd>Ticket worth {credits(get)}</dd>
        <dt>Cash</dt>
        <dd>
          {cash > 0
            ? `You ${iPay ? 'pay' : 'receive'} ${formatCurrency(cash)} top-up`
            : 'None: the values are close enough to swap as they are'}
        </dd>
      </dl>
      {cash > 0 ? <p className="muted">{iPay ? payerNote : receiverNote}</p> : null}
    </section>
  );
}

const payerNote =
  'The top-up is only held on your card until both ticket transfers are verified, and is ' +
  'charged then. If the trade fails, the hold is released or the charge refunded to your card.';

const receiverNote =
  'You receive the top-up as a payout once both ticket transfers are verified. Payouts go to ' +
  'a payout account, which needs a verified identity check; set one up under Payments.';

/** Renders the notice shown next to every button that would put a hold on a card in test mode. */
export function TestModeNotice() {
  return (
    <Alert tone="warning" title="Test mode: no card is charged">
      <p>
        Payments run offline here. The top-up is recorded as held, captured and paid out, but
        no money moves.
      </p>
    </Alert>
  );
}

interface TopUpPanelProps {
  proposalId: string;
  amountMinor: number;
  settings: PaymentSettings;
  /** The top-up that accepting the proposal returned, if it did. */
  initialTopUp: TopUpView | null;
}

/**
 * Collects the payer's card hold for a proposal both sides accepted. In test mode the API
 * records the hold at once, so this panel only appears when that step failed, and it offers a
 * retry. With Stripe, it mounts the Payment Element and then polls until the webhook opens
 * the trade.
 */
export function TopUpPanel({ proposalId, amountMinor, settings, initialTopUp }: TopUpPanelProps) {
  const utils = trpc.useUtils();
  const [confirmed, setConfirmed] = useState(false);
  const request = trpc.payments.topUp.useMutation({
    onSuccess: async (view) => {
      if (view.tradeId) {
        await Promise.all([utils.proposals.mine.invalidate(), utils.trades.mine.invalidate()]);
      }
    },
  });
  // Shares the page's cache entry, so the card shows the trade as soon as a poll finds it.
  trpc.proposals.mine.useQuery(undefined, {
    enabled: confirmed,
    refetchInterval: confirmed ? tradeOpenPollMs : false,
  });
  const view = request.data ?? initialTopUp;
  const error = request.error ? describeError(request.error) : null;
  const amount = formatCurrency(amountMinor);
  const publishableKey = settings.testMode ? null : settings.publishableKey;

  if (confirmed) {
    return (
      <StatusMessage>
        Card hold for {amount} sent. The trade opens as soon as Stripe confirms it.
      </StatusMessage>
    );
  }
  if (!settings.testMode && !publishableKey) {
    return (
      <Alert tone="error" title="Card entry is not set up">
        <p>
          This server takes card payments but has no Stripe publishable key, so the {amount}{' '}
          top-up cannot be entered here. Contact support.
        </p>
      </Alert>
    );
  }
  if (view?.tradeId) {
    return (
      <Alert tone="success">
        <p>
          {amount} top-up held. <Link to={`/trades/${view.tradeId}`}>Open the trade</Link>.
        </p>
      </Alert>
    );
  }

  return (
    <section className="panel" aria-label="Top-up">
      <h3>Hold the {amount} top-up</h3>
      <p>Both sides accepted. The trade opens once the top-up is held on your card.</p>
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      {publishableKey && view?.clientSecret ? (
        <Suspense fallback={<StatusMessage>Loading the card form…</StatusMessage>}>
          <StripeTopUpForm
            publishableKey={publishableKey}
            clientSecret={view.clientSecret}
            returnUrl={`${window.location.origin}/proposals`}
            onConfirmed={() => setConfirmed(true)}
          />
        </Suspense>
      ) : (
        <>
          {settings.testMode ? <TestModeNotice /> : null}
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={request.isPending}
              onClick={() => request.mutate({ proposalId })}
            >
              {settings.testMode ? 'Hold the top-up' : 'Enter card details'}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/**
 * On the trade page of a payer whose card hold was released while the trade is open: the
 * trade cannot complete until they hold the top-up again. In test mode the new hold is in
 * place at once. With Stripe the Payment Element collects the card, and the webhook then
 * completes the trade if both tickets already arrived.
 */
export function RenewHoldPanel({ tradeId }: { tradeId: string }) {
  const utils = trpc.useUtils();
  const settings = trpc.payments.settings.useQuery();
  const cash = trpc.payments.mine.useQuery();
  const [confirmed, setConfirmed] = useState(false);
  const renew = trpc.payments.renewHold.useMutation({
    onSuccess: (view) =>
      view.status === 'requires_capture'
        ? Promise.all([
          utils.payments.mine.invalidate(),
          utils.trades.get.invalidate({ tradeId }),
          utils.trades.mine.invalidate(),
        ])
        : undefined,
  });
  const payment = cash.data?.payments.find((p) => p.tradeId === tradeId);
  const waiting = payment && (payment.state === 'CANCELLED' || payment.state === 'REQUIRES_PAYMENT_METHOD');
  if (!settings.data || !payment || (!waiting && !renew.isSuccess)) {
    return null;
  }
  const amount = formatCurrency(payment.amountMinor);
  const publishableKey = settings.data.testMode ? null : settings.data.publishableKey;
  const error = renew.error ? describeError(renew.error) : null;
  if (confirmed || renew.data?.status === 'requires_capture') {
    return (
      <Alert tone="success">
        <p>Card hold for {amount} sent. The trade goes on as soon as it is confirmed.</p>
      </Alert>
    );
  }

  return (
    <section className="panel" aria-label="Hold the top-up again">
      <Alert tone="warning" title="Your card hold was released">
        <p>
          The {amount} top-up is no longer held on your card, so this trade cannot complete.
          Hold it again before the escrow deadline, or both tickets go back to their owners.
        </p>
      </Alert>
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      {publishableKey && renew.data?.clientSecret ? (
        <Suspense fallback={<StatusMessage>Loading the card form…</StatusMessage>}>
          <StripeTopUpForm
            publishableKey={publishableKey}
            clientSecret={renew.data.clientSecret}
            returnUrl={`${window.location.origin}/trades/${tradeId}`}
            onConfirmed={() => setConfirmed(true)}
          />
        </Suspense>
      ) : (
        <>
          {settings.data.testMode ? <TestModeNotice /> : null}
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={renew.isPending}
              onClick={() => renew.mutate({ tradeId })}
            >
              {settings.data.testMode ? 'Hold the top-up again' : 'Enter card details'}
            </button>
          </div>
        </>
      )}
    </section>
  );
}
