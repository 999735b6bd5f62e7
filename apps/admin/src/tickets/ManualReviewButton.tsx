import { useState } from 'react';
import {
  Button,
  Confirm,
  useLogoutIfAccessDenied,
  useNotify,
  useRecordContext,
  useRefresh,
} from 'react-admin';

import type { TicketRecord } from '../dataProvider.ts';
import { trpc } from '../trpc.ts';

/**
 * Approves a ticket whose barcode could not be read, after staff checked the file by hand. It
 * shows only for such tickets and, like other decisions, requests confirmation and waits for
 * the server before reloading the record.
 */
export function ManualReviewButton() {
  const record = useRecordContext<TicketRecord>();
  const notify = useNotify();
  const refresh = useRefresh();
  const logoutIfAccessDenied = useLogoutIfAccessDenied();
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);

  if (!record || record.intakeStatus !== 'NEEDS_REVIEW' || record.barcodeFormat !== null) {
    return null;
  }

  async function approve(ticketId: string) {
    setSaving(true);
    try {
      await trpc.tickets.approveManualReview.mutate({ ticketId });
      notify('Manual review approved; the owner can list the ticket.', { type: 'success' });
      setOpen(false);
      refresh();
    } catch (error) {
      if (!(await logoutIfAccessDenied(error))) {
        notify(error instanceof Error ? error.message : 'The approval failed.', { type: 'error' });
      }
    } finally {
      setSaving(false);
    }
  }

  return (
    <>
      <Button label="Approve manual review" disabled={saving} onClick={() => setOpen(true)} />
      <Confirm
        isOpen={open}
        loading={saving}
        title="Approve this ticket without a readable barcode?"
        content={
          <p>
            Open the ticket file first and check that it is a genuine ticket. No barcode was
            read, so the duplicate check cannot protect against a copy of it. The audit log
            records the approval under your name.
          </p>
        }
        confirm="Confirm"
        cancel="Cancel"
        onConfirm={() => void approve(record.id)}
        onClose={() => setOpen(false)}
      />
    </>
  );
}
