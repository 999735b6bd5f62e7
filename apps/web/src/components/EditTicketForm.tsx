import { useState, type FormEvent } from 'react';

import { Alert, TextField, parseAmountToMinor } from '@ts/ui';

import { describeError, fieldError } from '../errors.ts';
import { trpc, type MyTicket } from '../trpc.ts';
import { EventPicker } from './EventPicker.tsx';

interface EditTicketFormProps {
  ticket: MyTicket;
  onDone: () => void;
  onCancel: () => void;
}

/** Corrects what the barcode and text reading got wrong or missed on a draft ticket. */
export function EditTicketForm({ ticket, onDone, onCancel }: EditTicketFormProps) {
  const [faceValueError, setFaceValueError] = useState<string>();
  const update = trpc.tickets.update.useMutation({ onSuccess: onDone });
  const error = update.error ? describeError(update.error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const faceValueText = text('faceValue');
    const faceValueMinor = faceValueText ? parseAmountToMinor(faceValueText) : null;
    if (faceValueText && faceValueMinor === null) {
      setFaceValueError('Enter an amount in dollars, such as 45 or 45.50.');

      return;
    }
    setFaceValueError(undefined);

    update.mutate({
      ticketId: ticket.id,
      eventId: text('eventId') || undefined,
      section: text('section') || undefined,
      row: text('row') || undefined,
      seat: text('seat') || undefined,
      faceValueMinor,
    });
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Edit ticket details">
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      <EventPicker name="eventId" emptyLabel="Choose an event" initialEvent={ticket.event} />
      <TextField
        label="Section"
        name="section"
        defaultValue={ticket.section ?? ''}
        maxLength={40}
        error={fieldError(error, 'section')}
      />
      <TextField label="Row" name="row" defaultValue={ticket.row ?? ''} maxLength={20} />
      <TextField label="Seat" name="seat" defaultValue={ticket.seat ?? ''} maxLength={20} />
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
      <div className="button-row">
        <button type="submit" className="button" disabled={update.isPending}>
          Save details
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
