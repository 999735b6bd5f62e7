import type { ParkedEventRecord } from '../dataProvider.ts';
import { DecisionButton, type DecisionWording } from '../fields/DecisionButton.tsx';
import { shortId } from '../fields/dates.ts';
import { trpc } from '../trpc.ts';

function requeueWording(event: ParkedEventRecord): DecisionWording {
  const aggregate = `${event.aggregateType} ${shortId(event.aggregateId)}`;

  return {
    label: 'Requeue',
    title: `Requeue event ${event.id}?`,
    confirm: 'Requeue',
    effect:
      `The relay tries to publish this ${event.type} event again, with a fresh set of ` +
      `attempts. Events of ${aggregate} that went out while it was parked do not wait for ` +
      'it, so consumers may receive it after them. If every new attempt fails, it is parked ' +
      'again.',
    notice: 'The audit log records the requeue under your name.',
    success: 'Event requeued.',
    failure: 'Requeuing the event failed. Try again.',
  };
}

/**
 * Puts a parked outbox event back in the relay's queue. The API takes no note for a requeue, so
 * the dialog requests confirmation only. The button renders only for admins and only while the
 * event is parked. After the requeue the list reloads without it.
 */
export function RequeueButton() {
  return (
    <DecisionButton<ParkedEventRecord>
      access={{ resource: 'parkedEvents', action: 'requeue' }}
      isDecidable={(event) => event.parkedAt !== null}
      wording={requeueWording}
      submit={(event) => trpc.admin.outbox.requeue.mutate({ id: event.id })}
    />
  );
}
