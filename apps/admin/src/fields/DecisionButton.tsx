import { useState, type ChangeEvent, type ReactNode } from 'react';
import {
  Button,
  Confirm,
  ResettableTextField,
  useCanAccess,
  useLogoutIfAccessDenied,
  useNotify,
  useRecordContext,
  useRefresh,
  type RaRecord,
} from 'react-admin';

import { appCodeOf } from '../trpc.ts';

/** Error codes meaning the record changed state before this decision reached the server. */
const decidedElsewhere = new Set<string>(['TRADE_STATE', 'TRANSFER_STATE', 'PAYMENT_STATE', 'CONFLICT']);

/** Texts of one decision's button, dialog and notifications. */
export interface DecisionWording {
  /** Text of the button that opens the dialog. */
  label: string;
  /** Dialog title, phrased as a question. */
  title: string;
  /** Text of the dialog's confirm button, "Confirm" by default. */
  confirm?: string;
  /** Effect of the decision, shown as the dialog's first paragraph. */
  effect: ReactNode;
  /**
   * Optional second paragraph, for example who can read the note and what the audit log records.
   */
  notice?: string;
  /** Notification after the server has recorded the decision. */
  success: string;
  /** Error notification when the call fails with a value that is not an Error. */
  failure: string;
}

/** Note field of the dialog. */
export interface DecisionNoteField {
  label: string;
  /** Maximum length in characters, as the API accepts it. */
  maxLength: number;
  minRows: number;
  /** Minimum trimmed length and the message shown below the field when the note is shorter. */
  required?: { minLength: number; message: string };
}

/** The API's limits for a required decision note, in characters after trimming. */
const minDecisionNoteLength = 3;
const maxDecisionNoteLength = 4000;

/** Returns a note field that the decision APIs require, with 3 to 4,000 characters. */
export function requiredNote(label: string, tooShortMessage: string): DecisionNoteField {
  return {
    label,
    maxLength: maxDecisionNoteLength,
    minRows: 3,
    required: { minLength: minDecisionNoteLength, message: tooShortMessage },
  };
}

export interface DecisionButtonProps<RecordType extends RaRecord> {
  /**
   * Resource and action for react-admin's canAccess. Without them, every console role gets the
   * button.
   */
  access?: { resource: string; action: string };
  /** Whether the record can still take this decision. The button renders only when it is true. */
  isDecidable: (record: RecordType) => boolean;
  /** Whether the record already has this decision, which disables the button. */
  isInEffect?: (record: RecordType) => boolean;
  wording: (record: RecordType) => DecisionWording;
  color?: 'primary' | 'error';
  confirmColor?: 'primary' | 'warning';
  /** Note field of the dialog. Without it, the dialog requests confirmation only. */
  note?: DecisionNoteField;
  /** Calls the admin mutation with the trimmed note, or '' when the dialog has no note field. */
  submit: (record: RecordType, note: string) => Promise<unknown>;
}

// Hooks must run on every render, so a button without a role check still calls useCanAccess but
// disables its query. The resource then comes from the page's resource context.
const noRoleCheck = { action: 'show', enabled: false };

/**
 * Records a decision on the record in the record context. Decisions move tickets, money or a
 * trader's rights, so the button requests confirmation (and a note where the API takes one),
 * waits for the server's response (no optimistic update, no undo window) and then reloads the
 * record. An error passes through react-admin's checkError, which logs the user out when the
 * session has ended, and otherwise shows as a notification. The button renders only for roles
 * that `access` permits and only while `isDecidable` holds.
 */
export function DecisionButton<RecordType extends RaRecord>(
  props: DecisionButtonProps<RecordType>,
) {
  const { access, note: noteField } = props;
  const record = useRecordContext<RecordType>();
  const { canAccess } = useCanAccess(access ?? noRoleCheck);
  const notify = useNotify();
  const refresh = useRefresh();
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const permitted = access === undefined || canAccess === true;
  if (!record || !permitted || !props.isDecidable(record)) {
    return null;
  }

  const text = props.wording(record);
  const inEffect = props.isInEffect?.(record) ?? false;

  function close() {
    setOpen(false);
    setNoteError(undefined);
  }

  async function submitDecision(decided: RecordType) {
    const trimmedNote = note.trim();
    const required = noteField?.required;
    if (required && trimmedNote.length < required.minLength) {
      setNoteError(required.message);

      return;
    }
    setNoteError(undefined);
    setSaving(true);
    try {
      await props.submit(decided, trimmedNote);
      notify(text.success, { type: 'success' });
      setOpen(false);
      setNote('');
      refresh();
    } catch (error) {
      const loggedOut = await logoutIfAccessDenied(error);
      if (!loggedOut) {
        const message = error instanceof Error ? error.message : text.failure;
        notify(message, { type: 'error' });
      }
      // Someone else decided first: reload, so the page shows their decision, not this button.
      if (!loggedOut && decidedElsewhere.has(appCodeOf(error) ?? '')) {
        setOpen(false);
        refresh();
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <Button
        label={text.label}
        color={props.color}
        disabled={inEffect || saving}
        onClick={() => setOpen(true)}
      />
      <Confirm
        isOpen={open}
        loading={saving}
        title={text.title}
        confirm={text.confirm ?? 'Confirm'}
        cancel="Cancel"
        confirmColor={props.confirmColor}
        content={
          <>
            <p>{text.effect}</p>
            {text.notice !== undefined && <p>{text.notice}</p>}
            {noteField && (
              <ResettableTextField
                label={noteField.label}
                value={note}
                onChange={(event: ChangeEvent<HTMLInputElement>) => setNote(event.target.value)}
                required={noteField.required !== undefined}
                multiline
                minRows={noteField.minRows}
                fullWidth
                error={noteError !== undefined}
                helperText={noteError}
                slotProps={{ htmlInput: { maxLength: noteField.maxLength } }}
              />
            )}
          </>
        }
        onConfirm={() => void submitDecision(record)}
        onClose={close}
      />
    </>
  );
}
