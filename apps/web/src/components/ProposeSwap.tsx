import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';

import { Alert, SelectField, formatCredits } from '@ts/ui';

import { describeError } from '../errors.ts';
import { useMe } from '../session.tsx';
import { trpc, type MarketTicket } from '../trpc.ts';
import { describeSeat } from './TicketFacts.tsx';
import { CashTerms, TestModeNotice } from './TopUpPanel.tsx';

/** Offers one of the trader's own listed tickets in exchange for a marketplace ticket. */
export function ProposeSwap({ wantedTicket }: { wantedTicket: MarketTicket }) {
  const [open, setOpen] = useState(false);
  const [offeredId, setOfferedId] = useState<string | null>(null);
  const utils = trpc.useUtils();
  const me = useMe();
  const mine = trpc.tickets.mine.useQuery(undefined, { enabled: open });
  const settings = trpc.payments.settings.useQuery(undefined, {
    enabled: open,
    staleTime: Infinity,
  });
  const create = trpc.proposals.create.useMutation({
    onSuccess: () => utils.proposals.mine.invalidate(),
  });
  const listed = mine.data?.filter((ticket) => ticket.state === 'LISTED') ?? [];
  const offered = listed.find((ticket) => ticket.id === offeredId) ?? listed[0];
  const error = create.error ? describeError(create.error) : null;

  if (create.isSuccess) {
    const hasCash = create.data.cashDiffMinor > 0;

    return (
      <>
        <Alert tone="success">
          <p>
            Proposal sent. Sending it counts as your acceptance, and your ticket is held for
            it. The trade opens once the other trader accepts. Follow it under{' '}
            <Link to="/proposals">Proposals</Link>.
          </p>
        </Alert>
        {me.data ? <CashTerms terms={create.data} myId={me.data.id} /> : null}
        {hasCash && settings.data?.testMode ? <TestModeNotice /> : null}
      </>
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
        value={offered?.id}
        onChange={(event) => setOfferedId(event.currentTarget.value)}
        hint={`This ticket is valued at ${formatValue(wantedTicket.valueMinor)}.`}
      >
        {listed.map((ticket) => (
          <option key={ticket.id} value={ticket.id}>
            {ticket.event?.name ?? 'Ticket'} · {describeSeat(ticket)} ·{' '}
            {formatValue(ticket.valueMinor)}
          </option>
        ))}
      </SelectField>
      <ValueGap offeredMinor={offered?.valueMinor ?? null} wantedMinor={wantedTicket.valueMinor} />
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

/**
 * Previews the value difference before sending. The server decides whether it needs a top-up
 * and how much, so this states the rule and leaves the amount to the sent proposal.
 */
function ValueGap({ offeredMinor, wantedMinor }: {
  offeredMinor: number | null;
  wantedMinor: number | null;
}) {
  if (offeredMinor === null || wantedMinor === null || offeredMinor === wantedMinor) {
    return null;
  }
  const difference = formatCredits(Math.abs(wantedMinor - offeredMinor));
  const yoursIsCheaper = offeredMinor < wantedMinor;

  return (
    <p className="muted">
      Their ticket is worth {difference} {yoursIsCheaper ? 'more' : 'less'} than yours. When the
      values are not close, the owner of the cheaper ticket ({yoursIsCheaper ? 'you' : 'them'})
      adds the difference as a cash top-up. The sent proposal shows the exact amount, and no
      card is touched until the other trader accepts.
    </p>
  );
}

function formatValue(minor: number | null): string {
  return minor === null ? 'no value yet' : formatCredits(minor);
}
