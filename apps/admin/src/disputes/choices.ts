import type { DisputeListRecord } from '../dataProvider.ts';

type DisputeState = DisputeListRecord['state'];
type DisputeOutcome = NonNullable<DisputeListRecord['outcome']>;

export const disputeStateChoices: { id: DisputeState; name: string }[] = [
  { id: 'OPEN', name: 'Open' },
  { id: 'UNDER_REVIEW', name: 'Under review' },
  { id: 'RESOLVED', name: 'Resolved' },
];

/** The reasons a trader picks when opening a dispute in the web app. */
export const disputeReasonChoices: { id: string; name: string }[] = [
  { id: 'NOT_RECEIVED', name: 'Ticket not received' },
  { id: 'INVALID_TICKET', name: 'Ticket does not work' },
  { id: 'WRONG_TICKET', name: 'Wrong ticket' },
  { id: 'REFUSED_AT_GATE', name: 'Refused at the gate' },
  { id: 'OTHER', name: 'Other' },
];

export const disputeOutcomeChoices: { id: DisputeOutcome; name: string }[] = [
  { id: 'COMPLETE', name: 'Trade completed' },
  { id: 'RETURN_BOTH', name: 'Both tickets returned' },
  { id: 'SPLIT', name: 'Split by confirmed transfers' },
];
