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

import type { DisputeRecord } from '../dataProvider.ts';
import { trpc } from '../trpc.ts';
import { afterCompletionRulings } from './afterCompletion.tsx';

type Outcome = NonNullable<DisputeRecord['outcome']>;

const wording: Record<Outcome, { label: string; title: string; effect: string; done: string }> = {
  COMPLETE: {
    label: 'Complete trade',
    title: 'Complete this trade?',
    effect: 'Both tickets go to their receivers, as if both transfers had been confirmed.',
    done: 'Trade completed.',
  },
  RETURN_BOTH: {
    label: 'Return both tickets',
    title: 'Return both tickets?',
    effect: 'Both tickets go back to the traders who deposited them.',
    done: 'Both tickets returned.',
  },
  SPLIT: {
    label: 'Split by confirmed transfers',
    title: 'Split this trade?',
    effect:
      'Each ticket whose receiver confirmed the transfer goes to that receiver. Every other ' +
      'ticket goes back to the trader who deposited it.',
    done: 'Trade split.',
  },
};

/** The API's minimum length for a decision note. */
const minNoteLength = 3;

/**
 * Returns the button text for the dispute: a trade that had completed before the dispute is
 * undone leg by leg, so its rulings read differently from those in escrow.
 */
function wordingFor(outcome: Outcome, afterCompletion: boolean) {
  const text = wording[outcome];
  if (!afterCompletion) {
    return text;
  }
  const ruling = afterCompletionRulings[outcome];

  return { ...text, label: ruling.label, title: `${ruling.label}?`, effect: ruling.effect };
}

/**
 * Decides the dispute in the record context with one outcome. The decision moves tickets, so
 * the button requires confirmation and a note, waits for the server (no optimistic update, no
 * undo window) and then reloads the record. It renders only for roles that may decide disputes
 * and only while the dispute is undecided.
 */
export function DisputeDecisionButton({ outcome }: { outcome: Outcome }) {
  const record = useRecordContext<DisputeRecord>();
  const { canAccess } = useCanAccess({ resource: 'disputes', action: 'resolve' });
  const notify = useNotify();
  const refresh = useRefresh();
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [saving, setSaving] = useState(false);

  if (!record || !canAccess || record.state === 'RESOLVED') {
    return null;
  }

  const text = wordingFor(outcome, record.afterCompletion);

  function close() {
    setOpen(false);
    setNoteError(undefined);
  }

  async function submitDecision(disputeId: string) {
    if (note.trim().length < minNoteLength) {
      setNoteError('Give the reason for the decision in at least 3 characters.');

      return;
    }
    setNoteError(undefined);
    setSaving(true);
    try {
      await trpc.admin.disputes.resolve.mutate({ disputeId, outcome, note: note.trim() });
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
        color={outcome === 'RETURN_BOTH' ? 'error' : 'primary'}
        disabled={saving}
        onClick={() => setOpen(true)}
      />
      <Confirm
        isOpen={open}
        loading={saving}
        title={text.title}
        confirm="Confirm"
        cancel="Cancel"
        confirmColor="warning"
        content={
          <>
            <p>{text.effect}</p>
            <p>
              Both traders see the decision note on their trade page, and the audit log records
              the decision under your name.
            </p>
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
