import { useState, type ChangeEvent } from 'react';
import {
  Button,
  Confirm,
  ResettableTextField,
  useCanAccess,
  useLogoutIfAccessDenied,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin';

import type { UserRecord } from '../dataProvider.ts';
import { trpc } from '../trpc.ts';
import { kycStatusChoices } from './choices.ts';

type KycDecision = 'VERIFIED' | 'REJECTED';

const wording: Record<KycDecision, { label: string; title: string; done: string }> = {
  VERIFIED: {
    label: 'Approve KYC',
    title: 'Approve this identity check?',
    done: 'KYC approved.',
  },
  REJECTED: {
    label: 'Reject KYC',
    title: 'Reject this identity check?',
    done: 'KYC rejected.',
  },
};

/**
 * Records a KYC decision on the user in the record context. The decision unlocks or blocks
 * trading, so the button asks for confirmation, waits for the server's response (no optimistic
 * update, no undo window) and then reloads the record. It renders only for roles that may decide
 * KYC, and only on trader accounts because the API accepts KYC decisions for traders only.
 */
export function KycDecisionButton({ decision }: { decision: KycDecision }) {
  const record = useRecordContext<UserRecord>();
  const { canAccess } = useCanAccess({ resource: 'users', action: 'kyc' });
  const notify = useNotify();
  const refresh = useRefresh();
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);

  if (!record || !canAccess || record.role !== 'TRADER') {
    return null;
  }

  const text = wording[decision];
  const alreadyDecided = record.kycStatus === decision;
  const statusName =
    kycStatusChoices.find((choice) => choice.id === record.kycStatus)?.name ?? record.kycStatus;

  async function submitDecision(userId: string) {
    setSaving(true);
    try {
      await trpc.admin.users.setKyc.mutate({
        userId,
        status: decision,
        note: note.trim() || undefined,
      });
      notify(text.done, { type: 'success' });
      setOpen(false);
      setNote('');
      refresh();
    } catch (error) {
      const loggedOut = await logoutIfAccessDenied(error);
      if (!loggedOut) {
        const message = error instanceof Error ? error.message : 'The KYC decision failed.';
        notify(message, { type: 'error' });
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <Button
        label={text.label}
        color={decision === 'VERIFIED' ? 'primary' : 'error'}
        disabled={alreadyDecided || saving}
        onClick={() => setOpen(true)}
      />
      <Confirm
        isOpen={open}
        loading={saving}
        title={text.title}
        confirm="Confirm"
        cancel="Cancel"
        confirmColor={decision === 'VERIFIED' ? 'primary' : 'warning'}
        content={
          <>
            <p>
              The KYC status of {record.displayName} ({record.email}) is currently{' '}
              {statusName}. The audit log records the decision under your name.
            </p>
            <ResettableTextField
              label="Note (optional)"
              value={note}
              onChange={(event: ChangeEvent<HTMLInputElement>) => setNote(event.target.value)}
              multiline
              minRows={2}
              fullWidth
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
          </>
        }
        onConfirm={() => void submitDecision(record.id)}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
