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

import type { DebtRecord } from '../dataProvider.ts';
import { trpc } from '../trpc.ts';
import { formatCash } from './fields.tsx';

/** The API's minimum length for a write-off note. */
const minNoteLength = 3;

/**
 * Writes off what is left of an open debt. The platform pays for it, so the button requires
 * confirmation and a note, waits for the server (no optimistic update, no undo window) and
 * then reloads the record. It renders only for admins and only while the debt is open.
 */
export function WriteOffButton() {
  const record = useRecordContext<DebtRecord>();
  const { canAccess } = useCanAccess({ resource: 'debts', action: 'writeOff' });
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

  const outstanding = formatCash(record.outstandingMinor, record.currency);

  function close() {
    setOpen(false);
    setNoteError(undefined);
  }

  async function submitWriteOff(debtId: string) {
    if (note.trim().length < minNoteLength) {
      setNoteError('Give the reason for the write-off in at least 3 characters.');

      return;
    }
    setNoteError(undefined);
    setSaving(true);
    try {
      await trpc.admin.debts.writeOff.mutate({ id: debtId, note: note.trim() });
      notify('Debt written off.', { type: 'success' });
      setOpen(false);
      setNote('');
      refresh();
    } catch (error) {
      const loggedOut = await logoutIfAccessDenied(error);
      if (!loggedOut) {
        const message =
          error instanceof Error ? error.message : 'Writing off the debt failed. Try again.';
        notify(message, { type: 'error' });
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <Button label="Write off" color="error" disabled={saving} onClick={() => setOpen(true)} />
      <Confirm
        isOpen={open}
        loading={saving}
        title={`Write off ${outstanding}?`}
        confirm="Write off"
        cancel="Cancel"
        confirmColor="warning"
        content={
          <>
            <p>
              The platform absorbs the {outstanding} that {record.user.displayName} still owes.
              The amount moves from platform fees to their cash account, so their balance
              returns to zero and their later payouts no longer repay this debt. This cannot be
              undone.
            </p>
            <p>The audit log records the write-off and your note under your name.</p>
            <ResettableTextField
              label="Reason for the write-off"
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
        onConfirm={() => void submitWriteOff(record.id)}
        onClose={close}
      />
    </>
  );
}
