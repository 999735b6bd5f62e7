import { useState, type FormEvent, type ReactNode } from 'react';

import { Alert, TextField, formatConfidence, parseAmountToMinor } from '@ts/ui';

import { describeError, fieldError } from '../errors.ts';
import { trpc, type RouterOutputs } from '../trpc.ts';
import { EventPicker } from './EventPicker.tsx';

type ReviewedTicket = RouterOutputs['tickets']['get'];
type FieldName = 'eventName' | 'section' | 'row' | 'seat' | 'faceValueMinor';

/** Below this confidence a value read from the ticket is marked for the trader to check. */
export const lowConfidence = 0.8;

interface TicketReviewFormProps {
  ticket: ReviewedTicket;
  onConfirmed: () => void;
}

/**
 * Shows what was read from the ticket and how sure the reading is, with every field editable.
 * Values read with low confidence carry a "Check this" note and a highlight.
 */
export function TicketReviewForm({ ticket, onConfirmed }: TicketReviewFormProps) {
  const [faceValueError, setFaceValueError] = useState<string>();
  const [eventError, setEventError] = useState<string>();
  const confirm = trpc.tickets.confirm.useMutation({ onSuccess: onConfirmed });
  const error = confirm.error ? describeError(confirm.error) : null;
  const fields = ticket.reading?.fields ?? {};

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const faceValueText = text('faceValue');
    const faceValueMinor = faceValueText ? parseAmountToMinor(faceValueText) : null;
    const badFace = Boolean(faceValueText) && faceValueMinor === null;
    setFaceValueError(badFace ? 'Enter an amount in dollars, such as 45 or 45.50.' : undefined);
    const eventId = text('eventId');
    setEventError(eventId ? undefined : 'Choose the event this ticket is for.');
    if (badFace || !eventId) {
      return;
    }

    confirm.mutate({
      ticketId: ticket.id,
      eventId,
      section: text('section'),
      row: text('row') || null,
      seat: text('seat') || null,
      faceValueMinor,
    });
  }

  const readNote = (name: FieldName) => describeReading(fields[name]);

  return (
    <form className="form panel" onSubmit={submit} aria-label="Review ticket details">
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      <ReadValue note={readNote('eventName')}>
        <EventPicker
          name="eventId"
          emptyLabel="Choose an event"
          initialEvent={ticket.event}
          hint={ticket.reading?.match
            ? `Matched from the printed text (score ${formatConfidence(ticket.reading.match.score)}).`
            : 'No catalogue event matched the printed text; search for it.'}
          error={eventError}
        />
      </ReadValue>
      <ReadValue note={readNote('section')}>
        <TextField
          label="Section"
          name="section"
          required
          maxLength={40}
          defaultValue={ticket.section ?? ''}
          error={fieldError(error, 'section')}
        />
      </ReadValue>
      <ReadValue note={readNote('row')}>
        <TextField label="Row" name="row" maxLength={20} defaultValue={ticket.row ?? ''} />
      </ReadValue>
      <ReadValue note={readNote('seat')}>
        <TextField label="Seat" name="seat" maxLength={20} defaultValue={ticket.seat ?? ''} />
      </ReadValue>
      <ReadValue note={readNote('faceValueMinor')}>
        <TextField
          label="Face value (dollars)"
          name="faceValue"
          inputMode="decimal"
          defaultValue={
            ticket.faceValueMinor === null ? '' : (ticket.faceValueMinor / 100).toFixed(2)
          }
          hint="The price printed on the ticket. Leave empty if it shows none."
          error={faceValueError ?? fieldError(error, 'faceValueMinor')}
        />
      </ReadValue>
      <div className="button-row">
        <button type="submit" className="button" disabled={confirm.isPending}>
          Confirm details
        </button>
      </div>
    </form>
  );
}

interface ReadingNote {
  text: string;
  low: boolean;
}

function describeReading(reading: { value: string | number; confidence: number } | undefined):
  ReadingNote | null {
  if (!reading) {
    return null;
  }
  const sure = formatConfidence(reading.confidence);

  return reading.confidence < lowConfidence
    ? { text: `Check this: read from the ticket with ${sure} confidence.`, low: true }
    : { text: `Read from the ticket with ${sure} confidence.`, low: false };
}

/** Wraps one form field with the note on how it was read; low confidence adds a border. */
function ReadValue({ note, children }: { note: ReadingNote | null; children: ReactNode }) {
  if (!note) {
    return <div>{children}</div>;
  }

  return (
    <div
      className={note.low ? 'read-value read-value--check' : 'read-value'}
      style={note.low
        ? { borderLeft: '4px solid #b45309', paddingLeft: '0.75rem', background: '#fffbeb' }
        : undefined}
    >
      <p className={note.low ? 'field__hint read-value__check' : 'field__hint'}>
        {note.low ? <strong>{note.text}</strong> : note.text}
      </p>
      {children}
    </div>
  );
}
