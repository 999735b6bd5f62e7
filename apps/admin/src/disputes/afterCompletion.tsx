import type { CSSProperties } from 'react';

import type { DisputeRecord } from '../dataProvider.ts';
import { ShowLink, UserLink } from '../fields/ShowLink.tsx';
import { formatSeat } from '../tickets/fields.tsx';

type Outcome = NonNullable<DisputeRecord['outcome']>;
type Transfer = DisputeRecord['trade']['transfers'][number];

/**
 * Button label and effect of each ruling on a trade that had completed before the dispute.
 * Disputes in escrow use the wording in DisputeDecisionButton.
 */
export const afterCompletionRulings: Record<Outcome, { label: string; effect: string }> = {
  COMPLETE: {
    label: 'Uphold the trade',
    effect:
      'Upholds the trade: both tickets stay with their receivers. A payout that waited for ' +
      'the dispute is paid, and a paid one is left alone.',
  },
  RETURN_BOTH: {
    label: 'Undo both tickets',
    effect:
      'Undoes both legs: each ticket goes back to the trader who gave it (the reported one ' +
      'as void) and the credits are reversed. A cash top-up is refunded to its payer and its ' +
      'payout is reversed. What the receiver\'s payout account cannot cover becomes their ' +
      'debt and opens a fraud case.',
  },
  SPLIT: {
    label: 'Undo the reported ticket only',
    effect:
      'Undoes only the reported ticket\'s leg: that ticket goes back to the trader who gave ' +
      'it, as void, and its credits are reversed. The other ticket stays with its receiver. ' +
      'If the cash top-up paid for the reported ticket, the top-up is refunded and its payout ' +
      'reversed as for returning both.',
  },
};

const rulingOrder: Outcome[] = ['COMPLETE', 'RETURN_BOTH', 'SPLIT'];

/** Returns the transfer of the ticket the dispute reports, if the record includes it. */
export function reportedTransfer(dispute: DisputeRecord): Transfer | undefined {
  return dispute.trade?.transfers?.find(
    (transfer) => transfer.deposit.ticket.id === dispute.ticketId,
  );
}

// The console has no stylesheet of its own, so the banner carries its styles.
const bannerStyle: CSSProperties = {
  border: '1px solid #ed6c02',
  borderLeftWidth: 6,
  borderRadius: 4,
  background: '#fff4e5',
  padding: '8px 16px',
  margin: '8px 16px 0',
};

function ReportedTicket({ dispute }: { dispute: DisputeRecord }) {
  const transfer = reportedTransfer(dispute);
  if (!transfer) {
    return dispute.ticketId ? (
      <ShowLink resource="tickets" id={dispute.ticketId}>
        ticket {dispute.ticketId}
      </ShowLink>
    ) : (
      <span>a ticket the dispute does not name</span>
    );
  }
  const { ticket, fromUser, toUser } = transfer.deposit;

  return (
    <span>
      <ShowLink resource="tickets" id={ticket.id}>
        {ticket.event?.name ?? 'Ticket'} ({formatSeat(ticket)})
      </ShowLink>
      , given by <UserLink user={fromUser} /> to <UserLink user={toUser} />
    </span>
  );
}

/**
 * Tells support that the trade had completed before the dispute, names the reported ticket and
 * explains each ruling in that case. Renders nothing for disputes opened in escrow.
 */
export function AfterCompletionBanner({ dispute }: { dispute: DisputeRecord | undefined }) {
  if (!dispute?.afterCompletion) {
    return null;
  }

  return (
    <section style={bannerStyle} aria-label="Reported after completion">
      <h3 style={{ margin: '4px 0' }}>Reported after completion</h3>
      <p style={{ margin: '4px 0' }}>
        The trade had completed and both tickets had changed hands. The reported ticket is{' '}
        <ReportedTicket dispute={dispute} />.
      </p>
      <ul style={{ margin: '4px 0', paddingLeft: '1.2em' }}>
        {rulingOrder.map((outcome) => (
          <li key={outcome}>
            <strong>{afterCompletionRulings[outcome].label}:</strong>{' '}
            {afterCompletionRulings[outcome].effect}
          </li>
        ))}
      </ul>
    </section>
  );
}
