import type { FraudCaseRecord } from '../dataProvider.ts';
import { DecisionButton, requiredNote } from '../fields/DecisionButton.tsx';
import { trpc } from '../trpc.ts';

type Decision = 'CLEARED' | 'CONFIRMED';

interface FraudWording {
  label: string;
  title: string;
  effect: (trader: string) => string;
  success: string;
}

const wording: Record<Decision, FraudWording> = {
  CLEARED: {
    label: 'Clear',
    title: 'Clear this fraud case?',
    effect: (trader) =>
      `The case closes with no action against ${trader}. Their KYC status and open debts ` +
      'stay as they are.',
    success: 'Fraud case cleared.',
  },
  CONFIRMED: {
    label: 'Confirm fraud',
    title: 'Confirm fraud?',
    effect: (trader) =>
      `${trader}'s KYC is rejected, so they can no longer list tickets or propose and accept ` +
      'trades, and their pending payouts wait until KYC is verified again. They are notified ' +
      'of the KYC change. Their open debts stay open.',
    success: 'Fraud confirmed; the trader\'s KYC is rejected.',
  },
};

const decisionNote = requiredNote(
  'Decision note',
  'Give the reason for the decision in at least 3 characters.',
);

/**
 * Decides the fraud case in the record context. A confirmation blocks the trader, so both
 * decisions are confirmed, require a note and are pessimistic like every console decision. The
 * button renders only for roles that may decide fraud cases and only while the case is open.
 */
export function FraudDecisionButton({ decision }: { decision: Decision }) {
  const text = wording[decision];

  return (
    <DecisionButton<FraudCaseRecord>
      access={{ resource: 'fraudCases', action: 'decide' }}
      isDecidable={(fraudCase) => fraudCase.state === 'OPEN'}
      color={decision === 'CONFIRMED' ? 'error' : 'primary'}
      confirmColor="warning"
      wording={(fraudCase) => ({
        label: text.label,
        title: text.title,
        confirm: text.label,
        effect: text.effect(fraudCase.user.displayName),
        notice: 'The audit log records the decision and your note under your name.',
        success: text.success,
        failure: 'Recording the decision failed. Try again.',
      })}
      note={decisionNote}
      submit={(fraudCase, note) =>
        trpc.admin.fraudCases.decide.mutate({ id: fraudCase.id, decision, note })
      }
    />
  );
}
