import { useId, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';

import {
  Alert,
  Credits,
  StateBadge,
  StatusMessage,
  TextAreaField,
  formatLocalTime,
  humanizeState,
} from '@ts/ui';

import { DisputePanel } from '../components/DisputePanel.tsx';
import { RenewHoldPanel } from '../components/TopUpPanel.tsx';
import { EventFacts, describeSeat } from '../components/TicketFacts.tsx';
import { describeError, fieldError } from '../errors.ts';
import { usePageTitle } from '../page-title.ts';
import { useMe } from '../session.tsx';
import { trpc, type Trade } from '../trpc.ts';

type Transfer = Trade['transfers'][number];
type CompletedAt = NonNullable<Trade['completedAt']>;

/** How often an open trade is reloaded to show the other side's steps. */
const pollMs = 3_000;

/** States after which a trade never changes again, so polling stops. */
const finalStates = new Set(['COMPLETED', 'TIMED_OUT', 'RETURNED', 'SPLIT']);

export function TradeDetailPage() {
  usePageTitle('Trade');
  const { id = '' } = useParams();
  const me = useMe();
  const trade = trpc.trades.get.useQuery(
    { tradeId: id },
    {
      refetchInterval: (query) =>
        finalStates.has(query.state.data?.state ?? '') ? false : pollMs,
      retry: false,
    },
  );

  if (trade.isPending) {
    return (
      <>
        <h1>Trade</h1>
        <StatusMessage>Loading the trade…</StatusMessage>
      </>
    );
  }
  if (trade.isError) {
    const error = describeError(trade.error);

    return (
      <>
        <h1>Trade</h1>
        <Alert tone="error">
          {error.appCode === 'INVALID_INPUT' ? 'Trade not found.' : error.message}
        </Alert>
        <p>
          <Link to="/trades">Back to my trades</Link>
        </p>
      </>
    );
  }

  return <TradeView trade={trade.data} myId={me.data?.id ?? ''} />;
}

function TradeView({ trade, myId }: { trade: Trade; myId: string }) {
  const open = trade.state === 'ESCROWED';
  // A report after completion moves a completed trade on to DISPUTED, RETURNED or SPLIT and
  // keeps its completedAt, so such a trade still shows its completion.
  const completedAt = trade.completedAt;
  const steps: StepProps[] = [
    {
      title: 'Both tickets in escrow',
      done: true,
      children: <p>Since {formatLocalTime(trade.createdAt)}.</p>,
    },
  ];
  for (const transfer of trade.transfers) {
    steps.push(...transferSteps(transfer, myId, open));
  }
  steps.push({
    title: 'Trade completed',
    done: trade.state === 'COMPLETED' || completedAt !== null,
    children: completedAt ? <p>On {formatLocalTime(completedAt)}.</p> : null,
  });
  const currentIndex = steps.findIndex((step) => !step.done);

  return (
    <>
      <div className="page-header">
        <h1>Trade</h1>
        <Link to="/trades">All trades</Link>
      </div>
      <dl className="facts panel">
        <dt>State</dt>
        <dd>
          <StateBadge state={trade.state} />
        </dd>
        {completedAt ? (
          <>
            <dt>Completed</dt>
            <dd>{formatLocalTime(completedAt)}</dd>
          </>
        ) : (
          <>
            <dt>Escrow deadline</dt>
            <dd>
              {formatLocalTime(trade.releaseDeadline)}
              {open ? (
                <span className="muted">
                  {' '}
                  (if a transfer is not confirmed by then, both tickets go back to their owners)
                </span>
              ) : null}
            </dd>
          </>
        )}
      </dl>
      <StatusMessage hidden>Trade state: {humanizeState(trade.state)}.</StatusMessage>
      {completedAt ? (
        <ReportAfterCompletionNote state={trade.state} completedAt={completedAt} />
      ) : (
        <TradeStateNote state={trade.state} />
      )}
      {open ? <RenewHoldPanel tradeId={trade.id} /> : null}
      <h2>Steps</h2>
      <ol className="steps">
        {steps.map((step, index) => (
          <Step
            key={index}
            {...step}
            current={index === currentIndex && !finalStates.has(trade.state)}
          />
        ))}
      </ol>
      {/* The shared stylesheet gives the steps list no bottom margin. */}
      <div style={{ marginTop: '1.5rem' }}>
        <DisputePanel tradeId={trade.id} tradeState={trade.state} myId={myId} />
      </div>
    </>
  );
}

function TradeStateNote({ state }: { state: string }) {
  if (state === 'TIMED_OUT') {
    return (
      <Alert tone="warning">
        The escrow deadline passed before every transfer was confirmed, so both tickets went
        back to their owners.
      </Alert>
    );
  }
  if (state === 'DISPUTED') {
    return (
      <Alert tone="warning">
        This trade is disputed and frozen while support reviews it. See the dispute below.
      </Alert>
    );
  }
  return null;
}

/**
 * Explains a completed trade that a report after completion reopened. The note covers the open
 * report (DISPUTED) and support undoing the trade in full (RETURNED) or for the reported ticket
 * only (SPLIT). When support upholds the trade, it is COMPLETED again and needs no note.
 */
function ReportAfterCompletionNote(props: { state: string; completedAt: CompletedAt }) {
  const completed = formatLocalTime(props.completedAt);
  if (props.state === 'DISPUTED') {
    return (
      <Alert tone="warning">
        This trade completed on {completed}, and a ticket from it was reported afterwards. The
        report is open and support will decide on it. Payouts of this trade that are not yet
        paid wait for that decision. See the report below.
      </Alert>
    );
  }
  if (props.state === 'RETURNED') {
    return (
      <Alert tone="info">
        This trade completed on {completed} and was later undone by support after a ticket was
        reported. See the decision below for where each ticket went.
      </Alert>
    );
  }
  if (props.state === 'SPLIT') {
    return (
      <Alert tone="info">
        This trade completed on {completed}, and support later undid the exchange of the
        reported ticket. See the decision below for where each ticket went.
      </Alert>
    );
  }

  return null;
}

function transferSteps(transfer: Transfer, myId: string, tradeOpen: boolean): StepProps[] {
  const { deposit } = transfer;
  const sender = deposit.fromUserId === myId ? 'You' : deposit.fromUser.displayName;
  const receiver = deposit.toUserId === myId ? 'you' : deposit.toUser.displayName;
  const ticket = deposit.ticket.event?.name ?? 'the ticket';
  const sent = transfer.state === 'SENT' || transfer.state === 'CONFIRMED';
  const confirmed = transfer.state === 'CONFIRMED';
  const canSend = tradeOpen && transfer.state === 'PENDING' && deposit.fromUserId === myId;
  const canConfirm = tradeOpen && transfer.state === 'SENT' && deposit.toUserId === myId;

  return [
    {
      title: `${sender} ${sender === 'You' ? 'send' : 'sends'} ${ticket} to ${receiver}`,
      done: sent,
      children: (
        <>
          <TicketDetails transfer={transfer} />
          {transfer.sentAt ? <p>Marked as sent {formatLocalTime(transfer.sentAt)}.</p> : null}
          {transfer.evidence.map((item) => (
            <blockquote key={item.id}>
              <p>{item.note}</p>
            </blockquote>
          ))}
          {canSend ? <MarkSentForm transfer={transfer} /> : null}
        </>
      ),
    },
    {
      title: `${receiver === 'you' ? 'You confirm' : `${receiver} confirms`} receiving ${ticket}`,
      done: confirmed,
      children: (
        <>
          {transfer.confirmedAt ? (
            <p>Confirmed {formatLocalTime(transfer.confirmedAt)}.</p>
          ) : null}
          {canConfirm ? <ConfirmReceivedButton transfer={transfer} /> : null}
        </>
      ),
    },
  ];
}

function TicketDetails({ transfer }: { transfer: Transfer }) {
  return (
    <dl className="facts">
      <EventFacts event={transfer.deposit.ticket.event} />
      <dt>Seat</dt>
      <dd>{describeSeat(transfer.deposit.ticket)}</dd>
      <dt>Value</dt>
      <dd>
        <Credits minor={transfer.deposit.valueMinor} />
      </dd>
      <dt>Transfer</dt>
      <dd>
        {transfer.method === 'MANUAL'
          ? 'By hand, confirmed by the receiver'
          : 'Through the ticket seller'}
        {' · '}
        <StateBadge state={transfer.state} />
      </dd>
    </dl>
  );
}

interface StepProps {
  title: string;
  done: boolean;
  current?: boolean;
  children?: ReactNode;
}

function Step({ title, done, current = false, children }: StepProps) {
  const className = ['step', done ? 'step--done' : '', current ? 'step--current' : '']
    .filter(Boolean)
    .join(' ');

  return (
    <li className={className} aria-current={current ? 'step' : undefined}>
      <p className="step__title">
        {title}
        <span className="visually-hidden"> ({describeProgress(done, current)})</span>
      </p>
      {children}
    </li>
  );
}

function describeProgress(done: boolean, current: boolean): string {
  if (done) {
    return 'done';
  }

  return current ? 'current step' : 'not started';
}

function MarkSentForm({ transfer }: { transfer: Transfer }) {
  const utils = trpc.useUtils();
  const formId = useId();
  const markSent = trpc.trades.markSent.useMutation({
    onSuccess: (trade) => {
      utils.trades.get.setData({ tradeId: trade.id }, trade);
      void utils.trades.mine.invalidate();
    },
  });
  const error = markSent.error ? describeError(markSent.error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = String(new FormData(event.currentTarget).get('note') ?? '').trim();
    markSent.mutate({ transferId: transfer.id, note });
  }

  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${formId}-title`}>
      <p id={`${formId}-title`} className="visually-hidden">
        Mark your ticket as sent
      </p>
      {error && !fieldError(error, 'note') ? <Alert tone="error">{error.message}</Alert> : null}
      <TextAreaField
        label="Evidence note"
        name="note"
        required
        minLength={3}
        maxLength={2000}
        hint="How you sent the ticket, e.g. the transfer confirmation number or the email used."
        error={fieldError(error, 'note')}
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={markSent.isPending}>
          Mark as sent
        </button>
      </div>
    </form>
  );
}

function ConfirmReceivedButton({ transfer }: { transfer: Transfer }) {
  const utils = trpc.useUtils();
  const confirm = trpc.trades.confirmReceived.useMutation({
    onSuccess: (trade) => {
      utils.trades.get.setData({ tradeId: trade.id }, trade);
      void Promise.all([utils.trades.mine.invalidate(), utils.tickets.mine.invalidate()]);
    },
  });

  return (
    <>
      {confirm.error ? <Alert tone="error">{describeError(confirm.error).message}</Alert> : null}
      <p className="muted">Confirm only once the ticket is in your account or inbox.</p>
      <div className="button-row">
        <button
          type="button"
          className="button"
          disabled={confirm.isPending}
          onClick={() => confirm.mutate({ transferId: transfer.id })}
        >
          Confirm received
        </button>
      </div>
    </>
  );
}
