import { Link, useNavigate, useParams } from 'react-router-dom';

import { Alert, StatusMessage } from '@ts/ui';

import { TicketReviewForm } from '../components/TicketReviewForm.tsx';
import { usePageTitle } from '../page-title.ts';
import { trpc } from '../trpc.ts';
import type { UploadedTicketState } from './TicketsPage.tsx';

// How often the page asks whether the ticket has been read yet.
const pollIntervalMs = 1500;

const progressText: Record<string, string> = {
  QUEUED: 'Your ticket is in the queue to be read…',
  PROCESSING: 'Reading the barcode and the printed details…',
};

/** Shows the reading progress of an uploaded ticket, then the form to confirm its details. */
export function TicketReviewPage() {
  usePageTitle('Check the ticket details');
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const utils = trpc.useUtils();
  const ticket = trpc.tickets.get.useQuery(
    { ticketId: id },
    {
      refetchInterval: (query) => {
        const status = query.state.data?.intakeStatus;

        return status === 'QUEUED' || status === 'PROCESSING' ? pollIntervalMs : false;
      },
    },
  );
  const data = ticket.data;
  const reading = data && (data.intakeStatus === 'QUEUED' || data.intakeStatus === 'PROCESSING');

  async function confirmed() {
    await utils.tickets.invalidate();
    const state: UploadedTicketState = { uploaded: { ticketId: id, created: true } };
    void navigate('/tickets', { state });
  }

  return (
    <div className="page--narrow">
      <h1>Check the ticket details</h1>
      {ticket.isError ? <Alert tone="error">{ticket.error.message}</Alert> : null}
      <StatusMessage>
        {ticket.isPending ? 'Loading the ticket…' : reading ? progressText[data.intakeStatus] : null}
      </StatusMessage>
      {reading ? <progress aria-label="Reading the ticket" /> : null}
      {data?.intakeStatus === 'FAILED' ? (
        <Alert tone="error" title="The ticket could not be accepted">
          <p>{data.intakeError}</p>
          <p>
            <Link to="/tickets/new">Upload another file</Link>
          </p>
        </Alert>
      ) : null}
      {data?.intakeStatus === 'NEEDS_REVIEW' && data.intakeError ? (
        <Alert tone="info" title="Manual review">
          <p>{data.intakeError}</p>
        </Alert>
      ) : null}
      {data && (data.intakeStatus === 'NEEDS_REVIEW' || data.intakeStatus === 'READY') ? (
        <>
          <p>
            Here is what we read from your ticket. Correct anything that is wrong and fill in
            what is missing, then confirm.
          </p>
          <TicketReviewForm ticket={data} onConfirmed={() => void confirmed()} />
        </>
      ) : null}
      <p>
        <Link to="/tickets">Back to my tickets</Link>
      </p>
    </div>
  );
}
