import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

import { Alert, Money, StateBadge, StatusMessage, formatLocalTime } from '@ts/ui';

import { TestModeNotice } from '../components/TopUpPanel.tsx';
import { describeError } from '../errors.ts';
import { usePageTitle } from '../page-title.ts';
import { useMe } from '../session.tsx';
import { trpc, type RouterOutputs } from '../trpc.ts';

type MyCash = RouterOutputs['payments']['mine'];

/** Settlement runs in a background job, so the page refreshes while anything is in progress. */
const refreshMs = 5_000;

function hasUnsettled(cash: MyCash | undefined): boolean {
  if (!cash) {
    return false;
  }

  return (
    cash.payments.some((p) => p.state === 'AUTHORIZED' || p.state === 'REQUIRES_PAYMENT_METHOD') ||
    cash.payouts.some((p) => p.state === 'PENDING' && !(p.availableAt && p.availableAt > new Date()))
  );
}

/** Lists the trader's card top-ups and payouts, and offers the payout account set-up. */
export function PaymentsPage() {
  usePageTitle('Payments');
  const cash = trpc.payments.mine.useQuery(undefined, {
    refetchInterval: (query) => (hasUnsettled(query.state.data) ? refreshMs : false),
  });

  return (
    <>
      <h1>Payments</h1>
      <p>
        Cash top-ups you paid to even out a swap, and top-ups other traders paid you. A top-up
        is held on the payer&apos;s card while the trade is in escrow, and is charged and paid
        out once both ticket transfers are verified.
      </p>
      {cash.data?.testMode ? <TestModeNotice /> : null}
      {cash.isError ? <Alert tone="error">{cash.error.message}</Alert> : null}
      <StatusMessage hidden={!cash.isPending}>
        {cash.isPending ? 'Loading payments…' : describeCount(cash.data)}
      </StatusMessage>
      <PayoutSetup />
      {cash.data && cash.data.debts.length > 0 ? <DebtNotice debts={cash.data.debts} /> : null}
      {cash.data ? <PaymentsTable payments={cash.data.payments} /> : null}
      {cash.data ? <PayoutsTable payouts={cash.data.payouts} /> : null}
    </>
  );
}

function describeCount(cash: MyCash | undefined): string {
  const payments = cash?.payments.length ?? 0;
  const payouts = cash?.payouts.length ?? 0;

  return `${payments} top-ups paid, ${payouts} payouts.`;
}

function PayoutSetup() {
  const me = useMe();
  const utils = trpc.useUtils();
  const connect = trpc.payments.connectAccount.useMutation({
    onSuccess: async (account) => {
      if (!account.testMode && !account.transfersEnabled) {
        // Stripe hosts the onboarding (identity and bank details) and sends the trader back.
        window.location.assign(account.onboardingUrl);

        return;
      }
      await utils.payments.mine.invalidate();
    },
  });
  const verified = me.data?.kycStatus === 'VERIFIED';
  const error = connect.error ? describeError(connect.error) : null;
  const paymentsUrl = `${window.location.origin}/payments`;

  return (
    <section className="panel" aria-labelledby="payout-setup">
      <h2 id="payout-setup">Payout account</h2>
      <p>
        Top-ups you receive are paid out to your payout account. Payouts need a verified
        identity check (KYC) and a payout account; until both are in place, they wait here as
        pending.
      </p>
      {verified ? null : (
        <Alert tone="info">
          <p>Your identity check is not verified yet, so you cannot set up payouts.</p>
        </Alert>
      )}
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      {connect.data?.transfersEnabled ? (
        <Alert tone="success">
          <p>
            Payout account ready{connect.data.testMode ? ' in test mode' : ''}.{' '}
            {describeQueued(connect.data.queuedPayouts)}
          </p>
        </Alert>
      ) : null}
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={!verified || connect.isPending}
          onClick={() => connect.mutate({ refreshUrl: paymentsUrl, returnUrl: paymentsUrl })}
        >
          Set up payouts
        </button>
      </div>
    </section>
  );
}

function describeQueued(count: number): string {
  if (count === 0) {
    return 'No payouts were waiting.';
  }

  if (count === 1) {
    return '1 pending payout is being paid.';
  }

  return `${count} pending payouts are being paid.`;
}

function TradeLink({ tradeId }: { tradeId: string | null }) {
  return tradeId ? <Link to={`/trades/${tradeId}`}>View trade</Link> : <>None</>;
}

function PaymentsTable({ payments }: { payments: MyCash['payments'] }) {
  if (payments.length === 0) {
    return (
      <section aria-labelledby="payments-heading">
        <h2 id="payments-heading">Top-ups you paid</h2>
        <p>None yet.</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="payments-heading">
      <h2 id="payments-heading">Top-ups you paid</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Amount</th>
            <th scope="col">State</th>
            <th scope="col">Held</th>
            <th scope="col">Charged</th>
            <th scope="col">Trade</th>
          </tr>
        </thead>
        <tbody>
          {payments.map((payment) => (
            <tr key={payment.id}>
              <td>
                <Money minor={payment.amountMinor} currency={payment.currency.toUpperCase()} />
              </td>
              <td>
                <StateBadge state={payment.state} />
              </td>
              <td>{payment.authorizedAt ? formatLocalTime(payment.authorizedAt) : 'Not yet'}</td>
              <td>{payment.capturedAt ? formatLocalTime(payment.capturedAt) : 'Not yet'}</td>
              <td>
                <TradeLink tradeId={payment.tradeId} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Cash the trader owes after a refused transfer reversal; later payouts repay it first. */
function DebtNotice({ debts }: { debts: MyCash['debts'] }) {
  const owed = debts.reduce((sum, d) => sum + d.amountMinor - d.recoveredMinor, 0);
  const currency = debts[0]?.currency.toUpperCase() ?? 'USD';

  return (
    <Alert tone="warning" title="You owe a payout back">
      <p>
        A dispute undid {debts.length === 1 ? 'a trade' : `${debts.length} trades`} you were paid
        for, and the money could not be taken back from your payout account. You owe{' '}
        <Money minor={owed} currency={currency} />. Your next payouts repay this first; only
        the rest reaches your account.
      </p>
      <ul>
        {debts.map((debt) => (
          <li key={debt.id}>
            <Money minor={debt.amountMinor - debt.recoveredMinor} currency={debt.currency.toUpperCase()} />{' '}
            from <TradeLink tradeId={debt.tradeId} />
          </li>
        ))}
      </ul>
    </Alert>
  );
}

const holdWording: Record<string, string> = {
  high_value: 'a high-value top-up',
  risky_seller: 'a review of your account',
};

/** Explains why a pending payout is not paid yet, or how much of a paid one repaid a debt. */
function payoutNote(payout: MyCash['payouts'][number]): ReactNode {
  if (payout.state === 'PENDING' && payout.availableAt && payout.availableAt > new Date()) {
    const reason = holdWording[payout.holdReason ?? ''] ?? 'a hold';

    return `Paid after the event, from ${formatLocalTime(payout.availableAt)} (${reason}).`;
  }
  if (payout.state === 'PAID' && payout.withheldMinor > 0) {
    return (
      <>
        <Money minor={payout.withheldMinor} currency={payout.currency.toUpperCase()} /> of it
        repaid what you owed.
      </>
    );
  }
  if (payout.state === 'REVERSED') {
    return 'Taken back after a dispute undid the trade.';
  }

  return null;
}

function PayoutsTable({ payouts }: { payouts: MyCash['payouts'] }) {
  if (payouts.length === 0) {
    return (
      <section aria-labelledby="payouts-heading">
        <h2 id="payouts-heading">Payouts to you</h2>
        <p>None yet.</p>
      </section>
    );
  }

  return (
    <section aria-labelledby="payouts-heading">
      <h2 id="payouts-heading">Payouts to you</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">Amount</th>
            <th scope="col">State</th>
            <th scope="col">Created</th>
            <th scope="col">Trade</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {payouts.map((payout) => (
            <tr key={payout.id}>
              <td>
                <Money minor={payout.amountMinor} currency={payout.currency.toUpperCase()} />
              </td>
              <td>
                <StateBadge state={payout.state} />
              </td>
              <td>{formatLocalTime(payout.createdAt)}</td>
              <td>
                <TradeLink tradeId={payout.tradeId} />
              </td>
              <td>{payoutNote(payout)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
