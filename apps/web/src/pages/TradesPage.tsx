import { useId } from 'react';
import { Link } from 'react-router-dom';

import { Alert, StateBadge, StatusMessage, formatLocalTime } from '@ts/ui';

import { describeSeat } from '../components/TicketFacts.tsx';
import { usePageTitle } from '../page-title.ts';
import { useMe } from '../session.tsx';
import { trpc, type Trade } from '../trpc.ts';

export function TradesPage() {
  usePageTitle('Trades');
  const me = useMe();
  const trades = trpc.trades.mine.useQuery();
  const myId = me.data?.id ?? '';

  return (
    <>
      <h1>Trades</h1>
      {trades.isError ? <Alert tone="error">{trades.error.message}</Alert> : null}
      <StatusMessage hidden={!trades.isPending}>
        {trades.isPending ? 'Loading trades…' : `${trades.data?.length ?? 0} trades.`}
      </StatusMessage>
      {trades.data?.length === 0 ? (
        <p>
          No trades yet. A trade starts when both sides accept a{' '}
          <Link to="/proposals">proposal</Link>.
        </p>
      ) : null}
      <ul className="card-list">
        {trades.data?.map((trade) => (
          <li key={trade.id}>
            <TradeCard trade={trade} myId={myId} />
          </li>
        ))}
      </ul>
    </>
  );
}

function TradeCard({ trade, myId }: { trade: Trade; myId: string }) {
  const headingId = useId();
  const incoming = trade.transfers.filter((t) => t.deposit.toUserId === myId);
  const outgoing = trade.transfers.filter((t) => t.deposit.fromUserId === myId);
  const names = (list: Trade['transfers']) =>
    list
      .map((t) => `${t.deposit.ticket.event?.name ?? 'Ticket'} (${describeSeat(t.deposit.ticket)})`)
      .join(', ') || 'Nothing';

  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        <span>Trade of {formatLocalTime(trade.createdAt)}</span>
        <StateBadge state={trade.state} />
      </h2>
      <dl className="facts">
        <dt>You give</dt>
        <dd>{names(outgoing)}</dd>
        <dt>You get</dt>
        <dd>{names(incoming)}</dd>
        {trade.state === 'ESCROWED' ? (
          <>
            <dt>Escrow deadline</dt>
            <dd>{formatLocalTime(trade.releaseDeadline)}</dd>
          </>
        ) : null}
      </dl>
      <p>
        <Link to={`/trades/${trade.id}`}>
          View trade<span className="visually-hidden"> of {formatLocalTime(trade.createdAt)}</span>
        </Link>
      </p>
    </article>
  );
}
