import type { DisputeRecord } from '../dataProvider.ts';
import { DecisionButton, requiredNote } from '../fields/DecisionButton.tsx';
import { trpc } from '../trpc.ts';
import { afterCompletionRulings } from './afterCompletion.tsx';

type Outcome = NonNullable<DisputeRecord['outcome']>;

interface OutcomeWording {
  label: string;
  title: string;
  effect: string;
  success: string;
}

const wording: Record<Outcome, OutcomeWording> = {
  COMPLETE: {
    label: 'Complete trade',
    title: 'Complete this trade?',
    effect: 'Both tickets go to their receivers, as if both transfers had been confirmed.',
    success: 'Trade completed.',
  },
  RETURN_BOTH: {
    label: 'Return both tickets',
    title: 'Return both tickets?',
    effect: 'Both tickets go back to the traders who deposited them.',
    success: 'Both tickets returned.',
  },
  SPLIT: {
    label: 'Split by confirmed transfers',
    title: 'Split this trade?',
    effect:
      'Each ticket whose receiver confirmed the transfer goes to that receiver. Every other ' +
      'ticket goes back to the trader who deposited it.',
    success: 'Trade split.',
  },
};

const decisionNote = requiredNote(
  'Decision note',
  'Give the reason for the decision in at least 3 characters.',
);

/**
 * Returns the button text for the dispute: a trade that had completed before the dispute is
 * undone leg by leg, so its rulings read differently from those in escrow.
 */
function wordingFor(outcome: Outcome, afterCompletion: boolean): OutcomeWording {
  const text = wording[outcome];
  if (!afterCompletion) {
    return text;
  }
  const ruling = afterCompletionRulings[outcome];

  return { ...text, label: ruling.label, title: `${ruling.label}?`, effect: ruling.effect };
}

/**
 * Decides the dispute in the record context with one outcome. The decision moves tickets, so
 * it is confirmed, requires a note and is pessimistic like every console decision. The button
 * renders only for roles that may decide disputes and only while the dispute is undecided.
 */
export function DisputeDecisionButton({ outcome }: { outcome: Outcome }) {
  return (
    <DecisionButton<DisputeRecord>
      access={{ resource: 'disputes', action: 'resolve' }}
      isDecidable={(dispute) => dispute.state !== 'RESOLVED'}
      color={outcome === 'RETURN_BOTH' ? 'error' : 'primary'}
      confirmColor="warning"
      wording={(dispute) => ({
        ...wordingFor(outcome, dispute.afterCompletion),
        notice:
          'Both traders see the decision note on their trade page, and the audit log records ' +
          'the decision under your name.',
        failure: 'Recording the decision failed. Try again.',
      })}
      note={decisionNote}
      submit={(dispute, note) =>
        trpc.admin.disputes.resolve.mutate({ disputeId: dispute.id, outcome, note })
      }
    />
  );
}
