import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';

import { Alert, SelectField, formatCredits } from '@ts/ui';

import { describeError } from '../errors.ts';
import { trpc, type MarketTicket } from '../trpc.ts';
import { describeSeat } from './TicketFacts.tsx';

/** Offers one of the trader's own listed tickets in exchange for a marketplace ticket. */
export function ProposeSwap({ wantedTicket }: { wantedTicket: MarketTicket }) {
  const [open, setOpen] = useState(false);
  const utils = trpc.useUtils();
  const mine = trpc.tickets.mine.useQuery(undefined, { enabled: open });
  const create = trpc.proposals.create.useMutation({
    onSuccess: () => utils.proposals.mine.invalidate(),
  });
  const listed = mine.data?.filter((ticket) => ticket.state === 'LISTED') ?? [];
  const error = create.error ? describeError(create.error) : null;

  if (create.isSuccess) {
    return (
      <Alert tone="success">
        <p>
          Proposal sent. Follow it under <Link to="/proposals">Proposals</Link>.
        </p>
      </Alert>
    );
  }
  if (!open) {
    return (
      <div className="button-row">
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Propose swap
        </button>
      </div>
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const offeredTicketId = String(new FormData(event.currentTarget).get('offeredTicketId'));
    create.mutate({ offeredTicketId, wantedTicketId: wantedTicket.id });
  }

  if (mine.isPending) {
    return <p role="status">Loading your listed tickets…</p>;
  }
  if (listed.length === 0) {
    return (
      <Alert tone="info">
        <p>
          You have no listed tickets to offer. List one under{' '}
          <Link to="/tickets">My tickets</Link> first.
        </p>
      </Alert>
    );
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Propose a swap">
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      <SelectField
        label="Ticket to offer"
        name="offeredTicketId"
        required
        hint={`This ticket is valued at ${formatValue(wantedTicket.valueMinor)}.`}
      >
        {listed.map((ticket) => (
          <option key={ticket.id} value={ticket.id}>
            {ticket.event?.name ?? 'Ticket'} · {describeSeat(ticket)} ·{' '}
            {formatValue(ticket.valueMinor)}
          </option>
        ))}
      </SelectField>
      <div className="button-row">
        <button type="submit" className="button" disabled={create.isPending}>
          Send proposal
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => setOpen(false)}
        >
          Cancel
        </button>
      </div>
    </form>
  );
}

function formatValue(minor: number | null): string {
  return minor === null ? 'no value yet' : formatCredits(minor);
}
