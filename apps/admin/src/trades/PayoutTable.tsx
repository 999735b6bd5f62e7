import type { TradeRecord } from '../dataProvider.ts';
import { formatCash } from '../debts/fields.tsx';
import { cellStyle, formatInstant, PlainTable } from '../fields/AuditTable.tsx';
import { ShowLink, UserLink } from '../fields/ShowLink.tsx';
import { holdReasonChoices, payoutStateChoices } from './fields.tsx';

type Payout = TradeRecord['payouts'][number];

function choiceName(choices: readonly { id: string; name: string }[], id: string): string {
  return choices.find((choice) => choice.id === id)?.name ?? id;
}

function describeHold(payout: Payout): string {
  if (!payout.availableAt && !payout.holdReason) {
    return 'No hold';
  }
  const until = payout.availableAt ? `until ${formatInstant(payout.availableAt)}` : '';
  const reason = payout.holdReason ? choiceName(holdReasonChoices, payout.holdReason) : '';

  return [until, reason].filter(Boolean).join(': ');
}

function ReversalCell({ payout }: { payout: Payout }) {
  if (!payout.reversedAt) {
    return <span>—</span>;
  }
  let result = 'closed before it was paid';
  if (payout.providerReversalId) {
    result = `taken back by the processor (${payout.providerReversalId})`;
  } else if (payout.debts.length > 0) {
    result = 'the processor refused to take it back';
  }

  return (
    <span>
      {formatInstant(payout.reversedAt)}, {result}
      {payout.debts.map((debt) => (
        <span key={debt.id}>
          ;{' '}
          <ShowLink resource="debts" id={debt.id}>
            debt of {formatCash(debt.amountMinor, payout.currency)}
          </ShowLink>
        </span>
      ))}
    </span>
  );
}

/**
 * Renders the payouts of the trade's cash top-up: state, hold, the part withheld to repay
 * earlier debts, and the reversal with any debt it left.
 */
export function PayoutTable({ trade }: { trade: TradeRecord }) {
  const payouts = trade.payouts ?? [];
  if (payouts.length === 0) {
    return <span>No payout: this trade has no cash top-up, or it is not settled yet.</span>;
  }

  return (
    <PlainTable columns={['To', 'Amount', 'State', 'Hold', 'Withheld for debts', 'Reversal']}>
      {payouts.map((payout) => (
        <tr key={payout.id}>
          <td style={cellStyle}>
            <UserLink user={payout.user} />
          </td>
          <td style={cellStyle}>{formatCash(payout.amountMinor, payout.currency)}</td>
          <td style={cellStyle}>{choiceName(payoutStateChoices, payout.state)}</td>
          <td style={cellStyle}>{describeHold(payout)}</td>
          <td style={cellStyle}>
            {payout.withheldMinor > 0 ? formatCash(payout.withheldMinor, payout.currency) : '—'}
          </td>
          <td style={cellStyle}>
            <ReversalCell payout={payout} />
          </td>
        </tr>
      ))}
    </PlainTable>
  );
}
