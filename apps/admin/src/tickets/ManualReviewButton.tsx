import type { TicketRecord } from '../dataProvider.ts';
import { DecisionButton, type DecisionWording } from '../fields/DecisionButton.tsx';
import { trpc } from '../trpc.ts';

const wording: DecisionWording = {
  label: 'Approve manual review',
  title: 'Approve this ticket without a readable barcode?',
  effect:
    'Open the ticket file first and check that it is a genuine ticket. No barcode was read, so ' +
    'the duplicate check cannot protect against a copy of it. The audit log records the ' +
    'approval under your name.',
  success: 'Manual review approved; the owner can list the ticket.',
  failure: 'The approval failed.',
};

/**
 * Approves a ticket whose barcode could not be read, after staff checked the file by hand. It
 * shows only for such tickets and, like other decisions, requests confirmation and waits for
 * the server before reloading the record. Every staff role may approve, so it has no role check.
 */
export function ManualReviewButton() {
  return (
    <DecisionButton<TicketRecord>
      isDecidable={(ticket) =>
        ticket.intakeStatus === 'NEEDS_REVIEW' && ticket.barcodeFormat === null
      }
      wording={() => wording}
      submit={(ticket) => trpc.tickets.approveManualReview.mutate({ ticketId: ticket.id })}
    />
  );
}
