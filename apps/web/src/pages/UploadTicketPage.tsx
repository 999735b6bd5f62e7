import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';

import { Alert, StatusMessage, TextField, parseAmountToMinor } from '@ts/ui';

import { EventPicker } from '../components/EventPicker.tsx';
import { describeError } from '../errors.ts';
import { usePageTitle } from '../page-title.ts';
import { trpc } from '../trpc.ts';
import { uploadTicket, type TicketUploadFields } from '../upload.ts';

const acceptedTypes = 'application/pdf,image/png,image/jpeg,image/webp,.pdf,.png,.jpg,.jpeg,.webp';

export function UploadTicketPage() {
  usePageTitle('Upload a ticket');
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const [fileError, setFileError] = useState<string>();
  const [faceValueError, setFaceValueError] = useState<string>();
  const upload = useMutation({
    mutationFn: uploadTicket,
    onSuccess: async (result) => {
      await utils.tickets.mine.invalidate();
      // The file is read in the background; the review page shows progress, then the form.
      void navigate(`/tickets/${result.ticket.id}/review`);
    },
  });
  const error = upload.error ? describeError(upload.error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const file = form.get('file');
    const faceValueText = text('faceValue');
    const faceValueMinor = faceValueText ? parseAmountToMinor(faceValueText) : undefined;

    const missingFile = !(file instanceof File) || file.size === 0;
    setFileError(missingFile ? 'Choose the ticket file to upload.' : undefined);
    const badFaceValue = faceValueMinor === null;
    setFaceValueError(
      badFaceValue ? 'Enter an amount in dollars, such as 45 or 45.50.' : undefined,
    );
    if (missingFile || badFaceValue) {
      return;
    }

    const fields: TicketUploadFields = {
      file,
      eventId: text('eventId'),
      section: text('section'),
      row: text('row'),
      seat: text('seat'),
      ...(faceValueMinor === undefined ? {} : { faceValueMinor }),
    };
    upload.mutate(fields);
  }

  return (
    <div className="page--narrow">
      <h1>Upload a ticket</h1>
      <p>
        Upload the ticket as a PDF or a photo. We read its barcode and printed details, then
        show you what we read so you can correct it. The ticket stays a draft until you list it.
      </p>
      {error ? (
        <Alert tone="error" title="The ticket was not uploaded">
          <p>{error.message}</p>
        </Alert>
      ) : null}
      <form className="form panel" onSubmit={submit} noValidate>
        <TextField
          label="Ticket file"
          name="file"
          type="file"
          accept={acceptedTypes}
          required
          hint="PDF, PNG, JPEG or WebP."
          error={fileError}
        />
        <EventPicker
          name="eventId"
          emptyLabel="Read it from the ticket"
          hint="Optional. Choose the event if the ticket does not name it clearly."
        />
        <TextField label="Section" name="section" maxLength={40} />
        <TextField label="Row" name="row" maxLength={20} />
        <TextField label="Seat" name="seat" maxLength={20} />
        <TextField
          label="Face value (dollars)"
          name="faceValue"
          inputMode="decimal"
          hint="Optional. The price printed on the ticket, such as 45.50."
          error={faceValueError}
        />
        <div className="button-row">
          <button type="submit" className="button" disabled={upload.isPending}>
            Upload ticket
          </button>
          <Link to="/tickets">Back to my tickets</Link>
        </div>
        <StatusMessage>
          {upload.isPending ? 'Uploading the ticket…' : null}
        </StatusMessage>
      </form>
    </div>
  );
}
