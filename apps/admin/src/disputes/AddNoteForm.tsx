import { useState, type ChangeEvent, type FormEvent } from 'react';
import {
  Button,
  ResettableTextField,
  useLogoutIfAccessDenied,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin';

import type { DisputeRecord } from '../dataProvider.ts';
import { trpc } from '../trpc.ts';

/** The API's minimum length for a note. */
const minNoteLength = 3;

/**
 * Adds a staff note to the dispute's evidence, for example what a trader reported by phone.
 * Both traders see it on their trade page. Every staff role may add one until the dispute is
 * decided.
 */
export function AddNoteForm() {
  const record = useRecordContext<DisputeRecord>();
  const notify = useNotify();
  const refresh = useRefresh();
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [saving, setSaving] = useState(false);

  if (!record || record.state === 'RESOLVED') {
    return null;
  }
  const disputeId = record.id;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (note.trim().length < minNoteLength) {
      setNoteError('The note is too short. Enter at least 3 characters.');

      return;
    }
    setNoteError(undefined);
    setSaving(true);
    try {
      await trpc.admin.disputes.addNote.mutate({ disputeId, note: note.trim() });
      notify('Note added.', { type: 'success' });
      setNote('');
      refresh();
    } catch (error) {
      const loggedOut = await logoutIfAccessDenied(error);
      if (!loggedOut) {
        const message =
          error instanceof Error ? error.message : 'Saving the note failed. Try again.';
        notify(message, { type: 'error' });
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <form
      onSubmit={(event) => void submit(event)}
      aria-label="Add a note"
      style={{ maxWidth: 640 }}
    >
      <ResettableTextField
        label="Note"
        value={note}
        onChange={(event: ChangeEvent<HTMLInputElement>) => setNote(event.target.value)}
        multiline
        minRows={2}
        fullWidth
        error={noteError !== undefined}
        helperText={noteError ?? 'Both traders see this note on their trade page.'}
        slotProps={{ htmlInput: { maxLength: 4000 } }}
      />
      <Button type="submit" label="Add note" variant="outlined" disabled={saving} />
    </form>
  );
}
