import { FunctionField, type FieldProps } from 'react-admin';

import { formatCredits } from '@ts/ui';

import type { DepositRecord, TradeRecord } from '../dataProvider.ts';
import { ShowLink, UserLink } from '../fields/ShowLink.tsx';
import { formatSeat } from '../tickets/fields.tsx';

type TradeState = TradeRecord['state'];
type DepositState = DepositRecord['state'];
type TransferState = NonNullable<DepositRecord['transfer']>['state'];
type PayoutState = TradeRecord['payouts'][number]['state'];

export const tradeStateChoices: { id: TradeState; name: string }[] = [
  { id: 'ESCROWED', name: 'Escrowed' },
  { id: 'COMPLETED', name: 'Completed' },
  { id: 'DISPUTED', name: 'Disputed' },
  { id: 'TIMED_OUT', name: 'Timed out' },
  { id: 'RETURNED', name: 'Returned' },
  { id: 'SPLIT', name: 'Split' },
];

export const depositStateChoices: { id: DepositState; name: string }[] = [
  { id: 'HELD', name: 'Held' },
  { id: 'RELEASED', name: 'Released' },
  { id: 'RETURNED', name: 'Returned' },
  { id: 'REVERSED', name: 'Reversed after completion' },
];

export const transferStateChoices: { id: TransferState; name: string }[] = [
  { id: 'PENDING', name: 'Pending' },
  { id: 'SENT', name: 'Sent' },
  { id: 'CONFIRMED', name: 'Confirmed' },
  { id: 'FAILED', name: 'Failed' },
];

export const payoutStateChoices: { id: PayoutState; name: string }[] = [
  { id: 'PENDING', name: 'Pending' },
  { id: 'PAID', name: 'Paid' },
  { id: 'FAILED', name: 'Failed' },
  { id: 'REVERSED', name: 'Reversed' },
];

/** Names of the payout hold reasons, by the code the payments module stores. */
export const holdReasonChoices: { id: string; name: string }[] = [
  { id: 'high_value', name: 'High-value top-up, paid after the event' },
  { id: 'risky_seller', name: 'Risky seller, paid after the event' },
];

function choiceName(choices: readonly { id: string; name: string }[], id: string): string {
  return choices.find((choice) => choice.id === id)?.name ?? id;
}

/** Returns the state of a deposit's transfer, or "Not started" when there is none yet. */
export function describeTransfer(deposit: DepositRecord): string {
  return deposit.transfer
    ? choiceName(transferStateChoices, deposit.transfer.state)
    : 'Not started';
}

export function DepositTicketLink({ deposit }: { deposit: DepositRecord }) {
  const { ticket } = deposit;

  return (
    <ShowLink resource="tickets" id={ticket.id}>
      {ticket.event?.name ?? 'Ticket'} ({formatSeat(ticket)})
    </ShowLink>
  );
}

/** Renders one line per deposit: giver, receiver, ticket, value, deposit and transfer state. */
export function DepositsSummaryField(props: Omit<FieldProps, 'source' | 'record'>) {
  return (
    <FunctionField<TradeRecord>
      {...props}
      render={(trade) => (
        <ul style={{ margin: 0, paddingLeft: '1.2em' }}>
          {trade.deposits.map((deposit) => (
            <li key={deposit.id}>
              <UserLink user={deposit.fromUser} /> → <UserLink user={deposit.toUser} />:{' '}
              <DepositTicketLink deposit={deposit} />, {formatCredits(deposit.valueMinor)},
              deposit {choiceName(depositStateChoices, deposit.state).toLowerCase()},
              transfer {describeTransfer(deposit).toLowerCase()}
            </li>
          ))}
        </ul>
      )}
    />
  );
}
