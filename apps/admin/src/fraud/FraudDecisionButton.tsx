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

import type { FraudCaseRecord } from '../dataProvider.ts';
import { trpc } from '../trpc.ts';

type Decision = 'CLEARED' | 'CONFIRMED';

interface DecisionWording {
  label: string;
  title: string;
  effect: (trader: string) => string;
  done: string;
}

const wording: Record<Decision, DecisionWording> = {
  CLEARED: {
    label: 'Clear',
    title: 'Clear this fraud case?',
    effect: (trader) =>
      `The case closes with no action against ${trader}. Their KYC status and open debts ` +
      'stay as they are.',
    done: 'Fraud case cleared.',
  },
  CONFIRMED: {
    label: 'Confirm fraud',
    title: 'Confirm fraud?',
    effect: (trader) =>
      `${trader}'s KYC is rejected, so they can no longer list tickets or propose and accept ` +
      'trades, and their pending payouts wait until KYC is verified again. They are notified ' +
      'of the KYC change. Their open debts stay open.',
    done: 'Fraud confirmed; the trader\'s KYC is rejected.',
  },
};

/** The API's minimum length for a decision note. */
const minNoteLength = 3;

/**
 * Decides the fraud case in the record context. A confirmation blocks the trader, so both
 * decisions require confirmation and a note, wait for the server (no optimistic update, no
 * undo window) and then reload the record. The button renders only for roles that may decide
 * fraud cases and only while the case is open.
 */
export function FraudDecisionButton({ decision }: { decision: Decision }) {
  const record = useRecordContext<FraudCaseRecord>();
  const { canAccess } = useCanAccess({ resource: 'fraudCases', action: 'decide' });
  const notify = useNotify();
  const refresh = useRefresh();
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [saving, setSaving] = useState(false);

  if (!record || !canAccess || record.state !== 'OPEN') {
    return null;
  }

  const text = wording[decision];

  function close() {
    setOpen(false);
    setNoteError(undefined);
  }

  async function submitDecision(caseId: string) {
    if (note.trim().length < minNoteLength) {
      setNoteError('Give the reason for the decision in at least 3 characters.');

      return;
    }
    setNoteError(undefined);
    setSaving(true);
    try {
      await trpc.admin.fraudCases.decide.mutate({ id: caseId, decision, note: note.trim() });
      notify(text.done, { type: 'success' });
      setOpen(false);
      setNote('');
      refresh();
    } catch (error) {
      const loggedOut = await logoutIfAccessDenied(error);
      if (!loggedOut) {
        const message =
          error instanceof Error ? error.message : 'Recording the decision failed. Try again.';
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
        color={decision === 'CONFIRMED' ? 'error' : 'primary'}
        disabled={saving}
        onClick={() => setOpen(true)}
      />
      <Confirm
        isOpen={open}
        loading={saving}
        title={text.title}
        confirm={text.label}
        cancel="Cancel"
        confirmColor="warning"
        content={
          <>
            <p>{text.effect(record.user.displayName)}</p>
            <p>The audit log records the decision and your note under your name.</p>
            <ResettableTextField
              label="Decision note"
              value={note}
              onChange={(event: ChangeEvent<HTMLInputElement>) => setNote(event.target.value)}
              required
              multiline
              minRows={3}
              fullWidth
              error={noteError !== undefined}
              helperText={noteError}
              slotProps={{ htmlInput: { maxLength: 4000 } }}
            />
          </>
        }
        onConfirm={() => void submitDecision(record.id)}
        onClose={close}
      />
    </>
  );
}
