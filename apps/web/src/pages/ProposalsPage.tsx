import { useId, useState } from 'react';
import { Link } from 'react-router-dom';

import { Alert, Credits, StateBadge, StatusMessage, formatCurrency, formatLocalTime } from '@ts/ui';

import { EventFacts, describeSeat } from '../components/TicketFacts.tsx';
import {
  CashTerms,
  TestModeNotice,
  TopUpPanel,
  type PaymentSettings,
  type TopUpView,
} from '../components/TopUpPanel.tsx';
import { describeError, type ShownError } from '../errors.ts';
import { usePageTitle } from '../page-title.ts';
import { useMe } from '../session.tsx';
import { trpc, type Proposal } from '../trpc.ts';

type Leg = Proposal['legs'][number];

/** Matching adds proposals every few seconds, so the list refreshes while it is open. */
const refreshMs = 10_000;

export function ProposalsPage() {
  usePageTitle('Proposals');
  const me = useMe();
  const proposals = trpc.proposals.mine.useQuery(undefined, { refetchInterval: refreshMs });
  const settings = trpc.payments.settings.useQuery(undefined, { staleTime: Infinity });
  const myId = me.data?.id;

  return (
    <>
      <h1>Proposals</h1>
      <p>Swaps offered to you or by you. Both sides must accept before the proposal expires.</p>
      {proposals.isError ? <Alert tone="error">{proposals.error.message}</Alert> : null}
      {settings.isError ? <Alert tone="error">{settings.error.message}</Alert> : null}
      <StatusMessage hidden={!proposals.isPending}>
        {proposals.isPending
          ? 'Loading proposals…'
          : `${proposals.data?.length ?? 0} proposals.`}
      </StatusMessage>
      {proposals.data?.length === 0 ? (
        <p>
          No proposals yet. List tickets and say <Link to="/wants">what you want</Link> to get
          matched, or propose a swap from the <Link to="/market">marketplace</Link>.
        </p>
      ) : null}
      <ul className="card-list">
        {myId && settings.data
          ? proposals.data?.map((proposal) => (
              <li key={proposal.id}>
                <ProposalCard proposal={proposal} myId={myId} settings={settings.data} />
              </li>
            ))
          : null}
      </ul>
    </>
  );
}

interface ProposalCardProps {
  proposal: Proposal;
  myId: string;
  settings: PaymentSettings;
}

function ProposalCard({ proposal, myId, settings }: ProposalCardProps) {
  const headingId = useId();
  const utils = trpc.useUtils();
  const [error, setError] = useState<ShownError | null>(null);
  const [topUp, setTopUp] = useState<TopUpView | null>(null);
  const refresh = async () => {
    await Promise.all([
      utils.proposals.mine.invalidate(),
      utils.tickets.mine.invalidate(),
      utils.trades.mine.invalidate(),
    ]);
  };
  const options = {
    onMutate: () => setError(null),
    onError: (e: unknown) => setError(describeError(e)),
    onSuccess: refresh,
  };
  const accept = trpc.proposals.accept.useMutation({
    ...options,
    onSuccess: async (accepted) => {
      setTopUp(accepted.topUp);
      await refresh();
    },
  });
  const reject = trpc.proposals.reject.useMutation(options);

  const give = proposal.legs.filter((leg) => leg.fromUserId === myId);
  const get = proposal.legs.filter((leg) => leg.toUserId === myId);
  const others = proposal.legs
    .filter((leg) => leg.fromUserId !== myId)
    .map((leg) => leg.fromUser.displayName);
  const iAccepted = give.length > 0 && give.every((leg) => leg.acceptedAt);
  const isOpen = proposal.state === 'OPEN';
  const busy = accept.isPending || reject.isPending;
  const hasCash = proposal.cashDiffMinor > 0;
  const iPay = hasCash && proposal.payerId === myId;
  // A proposal with a top-up stays open after the last acceptance until the payer's card hold
  // is recorded, and only then does its trade open.
  const awaitingTopUp =
    isOpen && hasCash && !proposal.trade && proposal.legs.every((leg) => leg.acceptedAt);
  const payerName =
    proposal.legs.find((leg) => leg.fromUserId === proposal.payerId)?.fromUser.displayName ??
    'the other trader';

  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        <span>Swap with {others.join(' and ') || 'another trader'}</span>
        <StateBadge state={proposal.state} />
      </h2>
      <div className="legs">
        <LegList title="You give" legs={give} />
        <LegList title="You get" legs={get} />
      </div>
      <CashTerms terms={proposal} myId={myId} />
      <dl className="facts">
        <dt>{isOpen ? 'Expires' : 'Closed'}</dt>
        <dd>
          {isOpen
            ? formatLocalTime(proposal.expiresAt)
            : proposal.closedAt
              ? formatLocalTime(proposal.closedAt)
              : 'Unknown'}
        </dd>
        <dt>Answers</dt>
        <dd>{describeAnswers(proposal.legs, myId)}</dd>
      </dl>
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      {topUp?.tradeId ? (
        <Alert tone="success">
          <p>
            The {formatCurrency(topUp.amountMinor)} top-up is held
            {topUp.testMode ? ' in test mode' : ''} and the trade is open.
          </p>
        </Alert>
      ) : null}
      {awaitingTopUp && iPay ? (
        <TopUpPanel
          proposalId={proposal.id}
          amountMinor={proposal.cashDiffMinor}
          settings={settings}
          initialTopUp={topUp}
        />
      ) : null}
      {awaitingTopUp && !iPay ? (
        <p className="muted">Both sides accepted. Waiting for {payerName}&apos;s card hold.</p>
      ) : null}
      {isOpen && hasCash && !awaitingTopUp && settings.testMode ? <TestModeNotice /> : null}
      {isOpen ? (
        <div className="button-row">
          {iAccepted ? (
            awaitingTopUp ? null : (
              <p className="muted">You accepted. Waiting for the other side.</p>
            )
          ) : (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => accept.mutate({ proposalId: proposal.id })}
            >
              Accept
            </button>
          )}
          <button
            type="button"
            className="button button--danger"
            disabled={busy}
            onClick={() => reject.mutate({ proposalId: proposal.id })}
          >
            Reject
          </button>
        </div>
      ) : null}
      {proposal.trade ? (
        <p>
          <Link to={`/trades/${proposal.trade.id}`}>
            View trade<span className="visually-hidden"> for this swap</span>
          </Link>{' '}
          <StateBadge state={proposal.trade.state} />
        </p>
      ) : null}
    </article>
  );
}

function LegList({ title, legs }: { title: string; legs: Leg[] }) {
  return (
    <section>
      <h3>{title}</h3>
      {legs.map((leg) => (
        <dl className="facts" key={leg.id}>
          {leg.ticket.event ? (
            <>
              <dt>Event</dt>
              <dd>{leg.ticket.event.name}</dd>
            </>
          ) : null}
          <EventFacts event={leg.ticket.event} />
          <dt>Seat</dt>
          <dd>{describeSeat(leg.ticket)}</dd>
          <dt>Value</dt>
          <dd>
            <Credits minor={leg.ticket.valueMinor} />
          </dd>
        </dl>
      ))}
    </section>
  );
}

function describeAnswers(legs: Leg[], myId: string): string {
  return legs
    .map((leg) => {
      const party = leg.fromUserId === myId ? 'You' : leg.fromUser.displayName;
      if (leg.rejectedAt) {
        return `${party}: rejected`;
      }

      return `${party}: ${leg.acceptedAt ? 'accepted' : 'not yet answered'}`;
    })
    .join('; ');
}
