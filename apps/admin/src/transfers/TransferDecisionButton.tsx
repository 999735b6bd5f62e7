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

import type { TransferReviewRecord } from '../dataProvider.ts';
import { utcDateTime } from '../fields/dates.ts';
import { trpc } from '../trpc.ts';
import { isDecidable } from './fields.tsx';

type Decision = 'confirmDelivered' | 'returnToManual';

interface DecisionWording {
  label: string;
  title: string;
  effect: (deadline: string) => string;
  done: string;
}

const wording: Record<Decision, DecisionWording> = {
  confirmDelivered: {
    label: 'Confirm delivered',
    title: 'Confirm that the ticket was delivered?',
    effect: () =>
      'Confirm only after the partner or the receiver told you that the ticket arrived. The ' +
      'transfer then counts as confirmed by the receiver, and when every transfer of the trade ' +
      'is confirmed the trade completes and both tickets change owner. This cannot be undone.',
    done: 'Transfer confirmed.',
  },
  returnToManual: {
    label: 'Send back to manual hand-over',
    title: 'Send this transfer back to a manual hand-over?',
    effect: (deadline) =>
      'The sender sends the ticket by hand and marks it as sent, then the receiver confirms ' +
      `it. Both traders are notified. The escrow deadline stays at ${deadline}. If the ` +
      'transfers are not confirmed by then, both tickets go back to their owners.',
    done: 'Transfer sent back to a manual hand-over; both traders were notified.',
  },
};

/** The API's minimum length for a decision note. */
const minNoteLength = 3;

/**
 * Decides a transfer in the staff review queue. Both decisions can move tickets, so the button
 * requires confirmation and a note, waits for the server (no optimistic update, no undo window)
 * and then reloads the record. It renders only for roles that may decide transfers, and only
 * while the transfer is queued and its trade is in escrow.
 */
export function TransferDecisionButton({ decision }: { decision: Decision }) {
  const record = useRecordContext<TransferReviewRecord>();
  const { canAccess } = useCanAccess({ resource: 'transferReviews', action: 'decide' });
  const notify = useNotify();
  const refresh = useRefresh();
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [saving, setSaving] = useState(false);

  if (!record || !canAccess || !isDecidable(record)) {
    return null;
  }

  const text = wording[decision];
  const deadline = record.releaseDeadline.toLocaleString('en-US', utcDateTime);

  function close() {
    setOpen(false);
    setNoteError(undefined);
  }

  async function submitDecision(transferId: string) {
    if (note.trim().length < minNoteLength) {
      setNoteError('Say what you checked, in at least 3 characters.');

      return;
    }
    setNoteError(undefined);
    setSaving(true);
    try {
      const input = { transferId, note: note.trim() };
      if (decision === 'confirmDelivered') {
        await trpc.admin.transferReviews.confirmDelivered.mutate(input);
      } else {
        await trpc.admin.transferReviews.returnToManual.mutate(input);
      }
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
      <Button label={text.label} disabled={saving} onClick={() => setOpen(true)} />
      <Confirm
        isOpen={open}
        loading={saving}
        title={text.title}
        confirm="Confirm"
        cancel="Cancel"
        confirmColor="warning"
        content={
          <>
            <p>{text.effect(deadline)}</p>
            <p>The audit log records the decision and your note under your name.</p>
            <ResettableTextField
              label="What you checked"
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
