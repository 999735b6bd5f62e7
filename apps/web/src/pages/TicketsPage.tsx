import { useId, useState } from 'react';
import { Link, useLocation } from 'react-router-dom';

import {
  Alert,
  Credits,
  Money,
  StateBadge,
  StatusMessage,
  formatConfidence,
  humanizeState,
} from '@ts/ui';

import { EditTicketForm } from '../components/EditTicketForm.tsx';
import { EventFacts, describeSeat } from '../components/TicketFacts.tsx';
import { describeError, type ShownError } from '../errors.ts';
import { usePageTitle } from '../page-title.ts';
import { useMe } from '../session.tsx';
import { trpc, type MyTicket } from '../trpc.ts';

/** Navigation state the upload page leaves so this page can point at the new ticket. */
export interface UploadedTicketState {
  uploaded?: { ticketId: string; created: boolean };
}

export function TicketsPage() {
  usePageTitle('My tickets');
  const location = useLocation();
  const uploaded = (location.state as UploadedTicketState | null)?.uploaded;
  const tickets = trpc.tickets.mine.useQuery();

  return (
    <>
      <div className="page-header">
        <h1>My tickets</h1>
        <Link className="button" to="/tickets/new">
          Upload a ticket
        </Link>
      </div>
      {uploaded ? (
        <Alert tone="success">
          {uploaded.created
            ? 'Ticket details confirmed. It stays a draft until you list it on the marketplace.'
            : 'You uploaded this file before, so here is the ticket it created then.'}
        </Alert>
      ) : null}
      <StatusMessage hidden={!tickets.isPending}>
        {tickets.isPending ? 'Loading your tickets…' : `${tickets.data?.length ?? 0} tickets.`}
      </StatusMessage>
      {tickets.isError ? <Alert tone="error">{tickets.error.message}</Alert> : null}
      {tickets.data?.length === 0 ? (
        <p>
          You have no tickets yet. <Link to="/tickets/new">Upload your first ticket</Link>.
        </p>
      ) : null}
      <ul className="card-list">
        {tickets.data?.map((ticket) => (
          <li key={ticket.id}>
            <TicketCard ticket={ticket} highlighted={ticket.id === uploaded?.ticketId} />
          </li>
        ))}
      </ul>
    </>
  );
}

function TicketCard({ ticket, highlighted }: { ticket: MyTicket; highlighted: boolean }) {
  const headingId = useId();
  const me = useMe();
  const utils = trpc.useUtils();
  const [error, setError] = useState<ShownError | null>(null);
  const [editing, setEditing] = useState(false);
  const refresh = () => utils.tickets.mine.invalidate();
  const list = trpc.tickets.list.useMutation({
    onMutate: () => setError(null),
    onError: (e) => setError(describeError(e)),
    onSuccess: refresh,
  });
  const withdraw = trpc.tickets.withdraw.useMutation({
    onMutate: () => setError(null),
    onError: (e) => setError(describeError(e)),
    onSuccess: refresh,
  });
  const busy = list.isPending || withdraw.isPending;
  const ready = ticket.intakeStatus === 'READY';
  const canList = ready && ['DRAFT', 'WITHDRAWN', 'TRANSFERRED'].includes(ticket.state);

  return (
    <article
      className={highlighted ? 'card card--highlight' : 'card'}
      aria-labelledby={headingId}
    >
      <h2 className="card__title" id={headingId}>
        <span>{ticket.event?.name ?? 'Ticket without an event'}</span>
        <StateBadge state={ticket.state} />
      </h2>
      <dl className="facts">
        <EventFacts event={ticket.event} />
        <dt>Seat</dt>
        <dd>{describeSeat(ticket)}</dd>
        <dt>Value</dt>
        <dd>
          <Credits minor={ticket.valueMinor} />
          {ticket.valueConfidence !== null ? (
            <span className="muted"> (confidence {formatConfidence(ticket.valueConfidence)})</span>
          ) : null}
          {ticket.valueMinor !== null ? (
            <>
              {' '}
              <Link to={`/tickets/${ticket.id}/value`} aria-describedby={headingId}>
                Why this price?
              </Link>
            </>
          ) : null}
        </dd>
        <dt>Face value</dt>
        <dd>
          <Money minor={ticket.faceValueMinor} currency={ticket.currency} fallback="Not given" />
        </dd>
      </dl>
      {error ? <TicketError error={error} kycStatus={me.data?.kycStatus} /> : null}
      <IntakeNotice ticket={ticket} />
      {editing ? (
        <EditTicketForm
          ticket={ticket}
          onDone={() => {
            setEditing(false);
            void refresh();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className="button-row">
          {canList ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => list.mutate({ ticketId: ticket.id })}
            >
              List on marketplace
            </button>
          ) : null}
          {ready && ticket.state === 'DRAFT' ? (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => setEditing(true)}
            >
              Edit details
            </button>
          ) : null}
          {ticket.state === 'LISTED' ? (
            <button
              type="button"
              className="button button--danger"
              disabled={busy}
              onClick={() => withdraw.mutate({ ticketId: ticket.id })}
            >
              Withdraw
            </button>
          ) : null}
        </div>
      )}
    </article>
  );
}

/** Where the reading of a new ticket stands, with the link to its review. */
function IntakeNotice({ ticket }: { ticket: MyTicket }) {
  switch (ticket.intakeStatus) {
    case 'QUEUED':
    case 'PROCESSING':
      return (
        <p>
          Reading the ticket… <Link to={`/tickets/${ticket.id}/review`}>Follow progress</Link>
        </p>
      );
    case 'NEEDS_REVIEW':
      return (
        <Alert tone="info">
          {ticket.intakeError ? <p>{ticket.intakeError}</p> : null}
          <p>
            <Link to={`/tickets/${ticket.id}/review`}>Check the details read from this ticket</Link>
          </p>
        </Alert>
      );
    case 'FAILED':
      return (
        <Alert tone="error" title="This ticket could not be accepted">
          <p>{ticket.intakeError}</p>
        </Alert>
      );
    default:
      return null;
  }
}

function TicketError({ error, kycStatus }: { error: ShownError; kycStatus?: string }) {
  if (error.appCode === 'KYC_REQUIRED') {
    return (
      <Alert tone="error" title="Identity check required">
        <p>{error.message}</p>
        <p>
          Your status is {humanizeState(kycStatus ?? 'NONE').toLowerCase()}. You can list
          tickets once a compliance officer has verified your identity.
        </p>
      </Alert>
    );
  }

  return <Alert tone="error">{error.message}</Alert>;
}
