import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';

import {
  Alert,
  SelectField,
  StateBadge,
  StatusMessage,
  TextAreaField,
  TextField,
  formatLocalTime,
} from '@ts/ui';

import { describeError, fieldError } from '../errors.ts';
import { trpc, type RouterInputs, type RouterOutputs } from '../trpc.ts';
import { uploadDisputeEvidence } from '../upload.ts';

type Dispute = RouterOutputs['trades']['disputes'][number];
type DisputeEvidence = Dispute['evidence'][number];
type DisputeReason = RouterInputs['trades']['openDispute']['reason'];
type DisputeOutcome = NonNullable<Dispute['outcome']>;

/** The reasons `trades.openDispute` accepts, in the words a trader picks from. */
export const disputeReasons: readonly { value: DisputeReason; label: string }[] = [
  { value: 'NOT_RECEIVED', label: 'I did not receive the ticket' },
  { value: 'INVALID_TICKET', label: 'The ticket I received does not work' },
  { value: 'WRONG_TICKET', label: 'I received a different ticket than agreed' },
  { value: 'REFUSED_AT_GATE', label: 'The ticket was refused at the gate' },
  { value: 'OTHER', label: 'Something else' },
];

/** The same decisions on a dispute opened after the trade completed. */
const afterCompletionWording: Record<DisputeOutcome, string> = {
  COMPLETE: 'Support upheld the trade. Both tickets stay with their receivers.',
  RETURN_BOTH:
    'Support undid the trade. Both tickets are back with their original owners, the reported ' +
    'one as void, and any cash top-up is refunded to the card it came from.',
  SPLIT:
    'Support undid the exchange of the reported ticket only. It is back with its original ' +
    'owner as void, and the credits given for it are returned; the other ticket stays.',
};

const outcomeWording: Record<DisputeOutcome, string> = {
  COMPLETE:
    'Support completed the trade. Each ticket went to the trader who was to receive it.',
  RETURN_BOTH: 'Support cancelled the trade. Both tickets went back to their original owners.',
  SPLIT:
    'Support split the trade. Each ticket whose receipt was confirmed went to its receiver, ' +
    'and any other ticket went back to its original owner.',
};

/** How often an open dispute is reloaded to show the other side's and support's notes. */
const pollMs = 3_000;

interface DisputePanelProps {
  tradeId: string;
  tradeState: string;
  myId: string;
}

/**
 * Shows the trade's dispute with its notes, or, while the trade is in escrow, a way to open
 * one. Opening a dispute freezes the trade until support decides.
 */
export function DisputePanel({ tradeId, tradeState, myId }: DisputePanelProps) {
  const utils = trpc.useUtils();
  const disputes = trpc.trades.disputes.useQuery(
    { tradeId },
    { refetchInterval: tradeState === 'DISPUTED' ? pollMs : false, retry: false },
  );

  // The trade page polls the trade. When its state moves (the other trader opened a dispute,
  // support decided), the dispute list is stale, so it is reloaded.
  const previousState = useRef(tradeState);
  useEffect(() => {
    if (previousState.current !== tradeState) {
      previousState.current = tradeState;
      void utils.trades.disputes.invalidate({ tradeId });
    }
  }, [tradeState, tradeId, utils]);

  if (disputes.isPending) {
    return <StatusMessage>Loading disputes…</StatusMessage>;
  }
  if (disputes.isError) {
    return <Alert tone="error">{describeError(disputes.error).message}</Alert>;
  }
  const anyOpen = disputes.data.some((d) => d.state !== 'RESOLVED');

  return (
    <>
      {disputes.data.map((dispute) => (
        <DisputeView key={dispute.id} dispute={dispute} myId={myId} />
      ))}
      {tradeState === 'ESCROWED' && !anyOpen ? <ReportProblem tradeId={tradeId} /> : null}
      {tradeState === 'COMPLETED' && !anyOpen ? <ReportAfterCompletion tradeId={tradeId} /> : null}
    </>
  );
}

type Reportable = RouterOutputs['trades']['reportable'][number];

/**
 * After completion: the receiver of a ticket that did not work (refused at the gate, cancelled
 * by its issuer) reports it, until the report window of that ticket closes.
 */
function ReportAfterCompletion({ tradeId }: { tradeId: string }) {
  const reportable = trpc.trades.reportable.useQuery({ tradeId }, { retry: false });
  const [open, setOpen] = useState(false);
  const headingId = useId();
  if (!reportable.data || reportable.data.length === 0) {
    return null;
  }
  const lastDay = reportable.data.reduce((latest, r) => (r.until > latest ? r.until : latest), reportable.data[0]!.until);

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>A ticket did not work?</h2>
      <p className="muted">
        If a ticket you received was refused at the gate or cancelled by its issuer, report it
        by {formatLocalTime(lastDay)}. Support reviews both sides and can undo the trade: the
        tickets go back on record and a cash top-up is refunded to the card. Payouts of this
        trade that are not yet paid wait for the decision.
      </p>
      {open ? (
        <OpenDisputeForm tradeId={tradeId} tickets={reportable.data} onCancel={() => setOpen(false)} />
      ) : (
        <div className="button-row">
          <button type="button" className="button button--secondary" onClick={() => setOpen(true)}>
            Report a ticket
          </button>
        </div>
      )}
    </section>
  );
}

function ReportProblem({ tradeId }: { tradeId: string }) {
  const [open, setOpen] = useState(false);
  const headingId = useId();

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Report a problem</h2>
      <p className="muted">
        If a ticket did not arrive, does not work or is not the one agreed, open a dispute. The
        trade then freezes: no transfer can be marked or confirmed and the escrow deadline no
        longer returns the tickets until support decides.
      </p>
      {open ? (
        <OpenDisputeForm tradeId={tradeId} onCancel={() => setOpen(false)} />
      ) : (
        <div className="button-row">
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setOpen(true)}
          >
            Open a dispute
          </button>
        </div>
      )}
    </section>
  );
}

interface OpenDisputeFormProps {
  tradeId: string;
  /** After completion: the received tickets the trader may report; one must be picked. */
  tickets?: Reportable[];
  onCancel: () => void;
}

function OpenDisputeForm({ tradeId, tickets, onCancel }: OpenDisputeFormProps) {
  const utils = trpc.useUtils();
  const openDispute = trpc.trades.openDispute.useMutation({
    onSuccess: () =>
      Promise.all([
        utils.trades.disputes.invalidate({ tradeId }),
        utils.trades.get.invalidate({ tradeId }),
        utils.trades.reportable.invalidate({ tradeId }),
        utils.trades.mine.invalidate(),
      ]),
  });
  const reasons = tickets
    ? disputeReasons.filter((r) => r.value !== 'NOT_RECEIVED')
    : disputeReasons.filter((r) => r.value !== 'REFUSED_AT_GATE');
  const error = openDispute.error ? describeError(openDispute.error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const ticketId = form.get('ticketId');
    openDispute.mutate({
      tradeId,
      reason: String(form.get('reason')) as DisputeReason,
      note: String(form.get('note') ?? '').trim(),
      ...(typeof ticketId === 'string' && ticketId ? { ticketId } : {}),
    });
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Open a dispute">
      {error && !fieldError(error, 'note') ? <Alert tone="error">{error.message}</Alert> : null}
      {tickets ? (
        <SelectField label="Ticket" name="ticketId" required error={fieldError(error, 'ticketId')}>
          {tickets.map((ticket) => (
            <option key={ticket.ticketId} value={ticket.ticketId}>
              {[ticket.eventName ?? 'Ticket', ticket.seat].filter(Boolean).join(', ')}
            </option>
          ))}
        </SelectField>
      ) : null}
      <SelectField label="Reason" name="reason" required error={fieldError(error, 'reason')}>
        {reasons.map((reason) => (
          <option key={reason.value} value={reason.value}>
            {reason.label}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label="What happened"
        name="note"
        required
        minLength={10}
        maxLength={4000}
        rows={4}
        hint="At least 10 characters. Say what you expected, what you got and when."
        error={fieldError(error, 'note')}
      />
      <div className="button-row">
        <button type="submit" className="button button--danger" disabled={openDispute.isPending}>
          Open dispute
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function DisputeView({ dispute, myId }: { dispute: Dispute; myId: string }) {
  const headingId = useId();
  const reason = disputeReasons.find((item) => item.value === dispute.reason)?.label;
  const resolved = dispute.state === 'RESOLVED';

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{dispute.afterCompletion ? 'Report after completion' : 'Dispute'}</h2>
      <dl className="facts">
        <dt>State</dt>
        <dd>
          <StateBadge state={dispute.state} />
        </dd>
        <dt>Reason</dt>
        <dd>{reason ?? dispute.reason}</dd>
        <dt>Opened</dt>
        <dd>
          {formatLocalTime(dispute.createdAt)} by{' '}
          {dispute.openedBy.id === myId ? 'you' : dispute.openedBy.displayName}
        </dd>
      </dl>
      {resolved ? (
        <DisputeDecision dispute={dispute} />
      ) : (
        <p className="muted">
          Support reviews the notes from both traders and then decides. Add anything that
          helps, such as transfer confirmation numbers or what you saw when you opened the
          ticket.
        </p>
      )}
      <h3>Notes</h3>
      <ol>
        {dispute.evidence.map((item) => (
          <EvidenceItem key={item.id} item={item} myId={myId} />
        ))}
      </ol>
      {resolved ? null : <AddEvidenceForm dispute={dispute} />}
    </section>
  );
}

function DisputeDecision({ dispute }: { dispute: Dispute }) {
  return (
    <Alert tone="info" title="Decision">
      <p>
        {dispute.outcome
          ? (dispute.afterCompletion ? afterCompletionWording : outcomeWording)[dispute.outcome]
          : 'Support closed this dispute.'}
      </p>
      {dispute.decisionNote ? <p>Support's note: {dispute.decisionNote}</p> : null}
      {dispute.decidedAt ? <p>Decided {formatLocalTime(dispute.decidedAt)}.</p> : null}
    </Alert>
  );
}

function EvidenceItem({ item, myId }: { item: DisputeEvidence; myId: string }) {
  const author = item.uploadedBy;
  const staff = author.role !== 'TRADER';

  return (
    <li>
      <p className="muted">
        {authorName(author, myId)}
        {staff ? ' (Ticket Swap staff)' : ''}, {formatLocalTime(item.createdAt)}
      </p>
      <blockquote>
        <p>{item.note}</p>
      </blockquote>
      {item.hasFile ? (
        <p>
          <a href={`/api/dispute-evidence/${item.id}/file`} target="_blank" rel="noreferrer">
            Open the attached file
          </a>
        </p>
      ) : null}
    </li>
  );
}

function authorName(user: { id: string; displayName: string }, myId: string): string {
  return user.id === myId ? 'You' : user.displayName;
}

function AddEvidenceForm({ dispute }: { dispute: Dispute }) {
  const utils = trpc.useUtils();
  const formRef = useRef<HTMLFormElement>(null);
  const onSuccess = async () => {
    formRef.current?.reset();
    await utils.trades.disputes.invalidate({ tradeId: dispute.tradeId });
  };
  const addEvidence = trpc.trades.addDisputeEvidence.useMutation({ onSuccess });
  // A note with a file goes to the multipart route; a note alone goes through tRPC.
  const addFile = useMutation({
    mutationFn: (input: { note: string; file: File }) =>
      uploadDisputeEvidence(dispute.id, input.note, input.file),
    onSuccess,
  });
  const failure = addEvidence.error ?? addFile.error;
  const error = failure ? describeError(failure) : null;
  const pending = addEvidence.isPending || addFile.isPending;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const note = String(data.get('note') ?? '').trim();
    const file = data.get('file');
    if (file instanceof File && file.size > 0) {
      addFile.mutate({ note, file });
    } else {
      addEvidence.mutate({ disputeId: dispute.id, note });
    }
  }

  return (
    <form ref={formRef} className="form" onSubmit={submit} aria-label="Add evidence">
      {error && !fieldError(error, 'note') ? <Alert tone="error">{error.message}</Alert> : null}
      <StatusMessage hidden>
        {addEvidence.isSuccess || addFile.isSuccess ? 'Evidence added.' : null}
      </StatusMessage>
      <TextAreaField
        label="Evidence note"
        name="note"
        required
        minLength={3}
        maxLength={4000}
        rows={3}
        error={fieldError(error, 'note')}
      />
      <TextField
        label="Attach a file (optional)"
        name="file"
        type="file"
        accept="application/pdf,image/png,image/jpeg,image/webp"
        hint="A PDF or image of at most 10 MB, such as a screenshot of the transfer."
      />
      <div className="button-row">
        <button type="submit" className="button" disabled={pending}>
          Add evidence
        </button>
      </div>
    </form>
  );
}
