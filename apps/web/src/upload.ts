import { AppRequestError } from './errors.ts';
import type { MyTicket } from './trpc.ts';

export interface TicketUploadFields {
  file: File;
  eventId?: string;
  section?: string;
  row?: string;
  seat?: string;
  faceValueMinor?: number;
}

/** Only the fields the page reads; the body is plain JSON, so dates would arrive as strings. */
export interface TicketUploadResult {
  ticket: Pick<MyTicket, 'id' | 'state'>;
  /** False when the same file was uploaded before and the existing ticket came back. */
  created: boolean;
}

/** Messages for failures whose body carries none, such as a proxy rejecting a large file. */
const statusMessages: Record<number, string> = {
  401: 'Your session has ended. Log in again to upload.',
  413: 'The file is too large to upload.',
  415: 'Upload a PDF, PNG, JPEG or WebP file.',
  429: 'Too many requests. Wait a moment and try again.',
};

/** Sends a ticket file to the API, which reads its barcode and creates a draft ticket. */
export async function uploadTicket(fields: TicketUploadFields): Promise<TicketUploadResult> {
  // The API reads the text fields that arrive before the file part, so the file goes last.
  const form = new FormData();
  for (const key of ['eventId', 'section', 'row', 'seat'] as const) {
    const value = fields[key]?.trim();
    if (value) {
      form.append(key, value);
    }
  }
  if (fields.faceValueMinor !== undefined) {
    form.append('faceValueMinor', String(fields.faceValueMinor));
  }
  form.append('file', fields.file);

  const response = await fetch('/api/tickets/upload', {
    method: 'POST',
    body: form,
    credentials: 'include',
  });
  const body: unknown = await response.json().catch(() => null);

  if (!response.ok) {
    throw toUploadError(response.status, body);
  }
  if (!isUploadResult(body)) {
    throw new AppRequestError('INTERNAL', 'The server sent an unexpected reply.', response.status);
  }

  return { ticket: body.ticket, created: body.created !== false };
}

function toUploadError(status: number, body: unknown): AppRequestError {
  const error = (body as { error?: { appCode?: unknown; message?: unknown } } | null)?.error;
  if (error && typeof error.appCode === 'string' && typeof error.message === 'string') {
    return new AppRequestError(error.appCode, error.message, status);
  }

  return new AppRequestError(
    'HTTP_' + status,
    statusMessages[status] ?? `The upload failed (HTTP ${status}). Try again.`,
    status,
  );
}

function isUploadResult(body: unknown): body is TicketUploadResult {
  const ticket = (body as { ticket?: { id?: unknown } } | null)?.ticket;

  return typeof ticket?.id === 'string';
}

/** Sends a dispute note with a file (PDF or image) to the API. */
export async function uploadDisputeEvidence(disputeId: string, note: string, file: File) {
  const form = new FormData();
  form.append('note', note);
  form.append('file', file);
  const response = await fetch(`/api/disputes/${encodeURIComponent(disputeId)}/evidence`, {
    method: 'POST',
    body: form,
    credentials: 'include',
  });
  if (!response.ok) {
    throw toUploadError(response.status, await response.json().catch(() => null));
  }
}
