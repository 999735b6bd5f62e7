import type { DebtRecord } from '../dataProvider.ts';
import { DecisionButton, requiredNote, type DecisionWording } from '../fields/DecisionButton.tsx';
import { trpc } from '../trpc.ts';
import { formatCash } from './fields.tsx';

const reasonNote = requiredNote(
  'Reason for the write-off',
  'Give the reason for the write-off in at least 3 characters.',
);

function writeOffWording(debt: DebtRecord): DecisionWording {
  const outstanding = formatCash(debt.outstandingMinor, debt.currency);

  return {
    label: 'Write off',
    title: `Write off ${outstanding}?`,
    confirm: 'Write off',
    effect:
      `The platform absorbs the ${outstanding} that ${debt.user.displayName} still owes. The ` +
      'amount moves from platform fees to their cash account, so their balance returns to ' +
      'zero and their later payouts no longer repay this debt. This cannot be undone.',
    notice: 'The audit log records the write-off and your note under your name.',
    success: 'Debt written off.',
    failure: 'Writing off the debt failed. Try again.',
  };
}

/**
 * Writes off what is left of an open debt. The platform pays for it, so the write-off is
 * confirmed, requires a note and is pessimistic like every console decision. The button renders
 * only for admins and only while the debt is open.
 */
export function WriteOffButton() {
  return (
    <DecisionButton<DebtRecord>
      access={{ resource: 'debts', action: 'writeOff' }}
      isDecidable={(debt) => debt.state === 'OPEN'}
      color="error"
      confirmColor="warning"
      wording={writeOffWording}
      note={reasonNote}
      submit={(debt, note) => trpc.admin.debts.writeOff.mutate({ id: debt.id, note })}
    />
  );
}
