import type { FraudCaseListRecord, FraudCaseRecord } from '../dataProvider.ts';
import { cellStyle, formatInstant, PlainTable } from '../fields/AuditTable.tsx';
import { ShowLink } from '../fields/ShowLink.tsx';

type FraudCaseState = FraudCaseListRecord['state'];
type Signal = FraudCaseRecord['signals'][number];

export const fraudCaseStateChoices: { id: FraudCaseState; name: string }[] = [
  { id: 'OPEN', name: 'Open' },
  { id: 'CLEARED', name: 'Cleared' },
  { id: 'CONFIRMED', name: 'Fraud confirmed' },
];

/** Names of the events that open a case, by the action code the domain stores. */
const caseActionNames: Record<string, string> = {
  'payout.reversal_refused': 'Payout reversal refused after a dispute',
};

/** Fraud signal kinds, by the code the domain stores. */
const signalKindNames: Record<string, string> = {
  duplicate_barcode: 'Barcode already on the platform',
  reversal_debt: 'Debt after a refused payout reversal',
};

export function describeCaseAction(action: string): string {
  return caseActionNames[action] ?? action;
}

export function describeSignalKind(kind: string): string {
  return signalKindNames[kind] ?? kind;
}

/** Formats a score or weight between 0 and 1 with two decimals. */
export function formatScore(value: number): string {
  return value.toFixed(2);
}

// Signal data carries ids only. These keys name records that have a page in the console.
const linkedKeys: Record<string, string> = { debtId: 'debts', tradeId: 'trades', ticketId: 'tickets' };

function SignalData({ data }: { data: Signal['data'] }) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return <code>{JSON.stringify(data)}</code>;
  }

  return (
    <span>
      {Object.entries(data).map(([key, value], index) => {
        const resource = linkedKeys[key];

        return (
          <span key={key}>
            {index > 0 ? ', ' : ''}
            {key}:{' '}
            {resource && typeof value === 'string' ? (
              <ShowLink resource={resource} id={value}>
                {value}
              </ShowLink>
            ) : (
              <code>{JSON.stringify(value)}</code>
            )}
          </span>
        );
      })}
    </span>
  );
}

/** Renders every fraud signal recorded for the trader, newest first. */
export function SignalTable({ signals }: { signals: readonly Signal[] | undefined }) {
  if (!signals || signals.length === 0) {
    return <span>No signals.</span>;
  }

  return (
    <PlainTable columns={['Recorded', 'Kind', 'Weight', 'Data']}>
      {signals.map((signal) => (
        <tr key={signal.id}>
          <td style={cellStyle}>{formatInstant(signal.createdAt)}</td>
          <td style={cellStyle}>{describeSignalKind(signal.kind)}</td>
          <td style={cellStyle}>{formatScore(signal.weight)}</td>
          <td style={cellStyle}>
            <SignalData data={signal.data} />
          </td>
        </tr>
      ))}
    </PlainTable>
  );
}

/** Renders the signals the score was computed from when the case was opened. */
export function ScoredSignals({ fraudCase }: { fraudCase: FraudCaseListRecord }) {
  const signals = fraudCase.scoredSignals ?? [];
  if (signals.length === 0) {
    return <span>—</span>;
  }

  return (
    <span>
      {signals
        .map((signal) => `${describeSignalKind(signal.kind)} (${formatScore(signal.weight)})`)
        .join(', ')}
    </span>
  );
}
