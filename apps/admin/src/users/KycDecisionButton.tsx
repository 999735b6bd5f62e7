import type { UserRecord } from '../dataProvider.ts';
import { DecisionButton } from '../fields/DecisionButton.tsx';
import { trpc } from '../trpc.ts';
import { kycStatusChoices } from './choices.ts';

type KycDecision = 'VERIFIED' | 'REJECTED';

const wording: Record<KycDecision, { label: string; title: string; success: string }> = {
  VERIFIED: {
    label: 'Approve KYC',
    title: 'Approve this identity check?',
    success: 'KYC approved.',
  },
  REJECTED: {
    label: 'Reject KYC',
    title: 'Reject this identity check?',
    success: 'KYC rejected.',
  },
};

function statusName(user: UserRecord) {
  return kycStatusChoices.find((choice) => choice.id === user.kycStatus)?.name ?? user.kycStatus;
}

/**
 * Records a KYC decision on the user in the record context. The decision unlocks or blocks
 * trading, so it is confirmed and pessimistic like every console decision. The button renders
 * only for roles that may decide KYC, and only on trader accounts because the API accepts KYC
 * decisions for traders only. It is disabled while the user already has this status.
 */
export function KycDecisionButton({ decision }: { decision: KycDecision }) {
  return (
    <DecisionButton<UserRecord>
      access={{ resource: 'users', action: 'kyc' }}
      isDecidable={(user) => user.role === 'TRADER'}
      isInEffect={(user) => user.kycStatus === decision}
      color={decision === 'VERIFIED' ? 'primary' : 'error'}
      confirmColor={decision === 'VERIFIED' ? 'primary' : 'warning'}
      wording={(user) => ({
        ...wording[decision],
        effect:
          `The KYC status of ${user.displayName} (${user.email}) is currently ` +
          `${statusName(user)}. The audit log records the decision under your name.`,
        failure: 'The KYC decision failed.',
      })}
      note={{ label: 'Note (optional)', maxLength: 500, minRows: 2 }}
      submit={(user, note) =>
        trpc.admin.users.setKyc.mutate({
          userId: user.id,
          status: decision,
          note: note || undefined,
        })
      }
    />
  );
}
