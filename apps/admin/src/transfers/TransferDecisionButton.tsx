import type { TransferReviewRecord } from '../dataProvider.ts';
import { DecisionButton, requiredNote } from '../fields/DecisionButton.tsx';
import { utcDateTime } from '../fields/dates.ts';
import { trpc } from '../trpc.ts';
import { isDecidable } from './fields.tsx';

type Decision = 'confirmDelivered' | 'returnToManual';

interface TransferWording {
  label: string;
  title: string;
  effect: (deadline: string) => string;
  success: string;
}

const wording: Record<Decision, TransferWording> = {
  confirmDelivered: {
    label: 'Confirm delivered',
    title: 'Confirm that the ticket was delivered?',
    effect: () =>
      'Confirm only after the partner or the receiver told you that the ticket arrived. The ' +
      'transfer then counts as confirmed by the receiver, and when every transfer of the trade ' +
      'is confirmed the trade completes and both tickets change owner. This cannot be undone.',
    success: 'Transfer confirmed.',
  },
  returnToManual: {
    label: 'Send back to manual hand-over',
    title: 'Send this transfer back to a manual hand-over?',
    effect: (deadline) =>
      'The sender sends the ticket by hand and marks it as sent, then the receiver confirms ' +
      `it. Both traders are notified. The escrow deadline stays at ${deadline}. If the ` +
      'transfers are not confirmed by then, both tickets go back to their owners.',
    success: 'Transfer sent back to a manual hand-over; both traders were notified.',
  },
};

const checkedNote = requiredNote(
  'What you checked',
  'Say what you checked, in at least 3 characters.',
);

/**
 * Decides a transfer in the staff review queue. Both decisions can move tickets, so they are
 * confirmed, require a note and are pessimistic like every console decision. The button renders
 * only for roles that may decide transfers, and only while the transfer is queued and its trade
 * is in escrow.
 */
export function TransferDecisionButton({ decision }: { decision: Decision }) {
  const text = wording[decision];

  return (
    <DecisionButton<TransferReviewRecord>
      access={{ resource: 'transferReviews', action: 'decide' }}
      isDecidable={isDecidable}
      confirmColor="warning"
      wording={(transfer) => ({
        label: text.label,
        title: text.title,
        effect: text.effect(transfer.releaseDeadline.toLocaleString('en-US', utcDateTime)),
        notice: 'The audit log records the decision and your note under your name.',
        success: text.success,
        failure: 'Recording the decision failed. Try again.',
      })}
      note={checkedNote}
      submit={(transfer, note) => {
        const input = { transferId: transfer.id, note };

        return decision === 'confirmDelivered'
          ? trpc.admin.transferReviews.confirmDelivered.mutate(input)
          : trpc.admin.transferReviews.returnToManual.mutate(input);
      }}
    />
  );
}
