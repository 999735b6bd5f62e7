import { FunctionField, type FieldProps, type RaRecord } from 'react-admin';

import { formatMinorUnits } from '../credits.ts';
import type { DebtListRecord } from '../dataProvider.ts';
import { cellStyle, formatInstant, PlainTable } from '../fields/AuditTable.tsx';
import { shortId } from '../fields/dates.ts';
import { ShowLink } from '../fields/ShowLink.tsx';

type DebtState = DebtListRecord['state'];

export const debtStateChoices: { id: DebtState; name: string }[] = [
  { id: 'OPEN', name: 'Open' },
  { id: 'SETTLED', name: 'Repaid' },
  { id: 'WRITTEN_OFF', name: 'Written off' },
];

/** Formats cash in minor units with its ISO currency code, e.g. "30.00 USD". */
export function formatCash(minor: number, currency: string): string {
  return `${formatMinorUnits(minor)} ${currency.toUpperCase()}`;
}

type CashFieldProps = Omit<FieldProps, 'source' | 'record'> & { source: string };

/** Shows a cash amount of a record that has a `currency` (debts, payouts), or a dash. */
export function CashField({ source, ...rest }: CashFieldProps) {
  return (
    <FunctionField
      source={source}
      {...rest}
      render={(record: RaRecord) => {
        const minor: unknown = record[source];
        const currency = typeof record.currency === 'string' ? record.currency : 'usd';

        return typeof minor === 'number' ? formatCash(minor, currency) : '—';
      }}
    />
  );
}

export function TradeIdLink({ tradeId }: { tradeId: string | null }) {
  if (!tradeId) {
    return <span>—</span>;
  }

  return (
    <ShowLink resource="trades" id={tradeId}>
      {shortId(tradeId)}
    </ShowLink>
  );
}

/** Renders a trader's debts with what is still outstanding; each row links to the debt. */
export function DebtTable({ debts }: { debts: readonly DebtListRecord[] | undefined }) {
  if (!debts || debts.length === 0) {
    return <span>No open debts.</span>;
  }

  return (
    <PlainTable columns={['Debt', 'Amount', 'Repaid', 'Outstanding', 'Trade', 'Recorded']}>
      {debts.map((debt) => (
        <tr key={debt.id}>
          <td style={cellStyle}>
            <ShowLink resource="debts" id={debt.id}>
              {shortId(debt.id)}
            </ShowLink>
          </td>
          <td style={cellStyle}>{formatCash(debt.amountMinor, debt.currency)}</td>
          <td style={cellStyle}>{formatCash(debt.recoveredMinor, debt.currency)}</td>
          <td style={cellStyle}>{formatCash(debt.outstandingMinor, debt.currency)}</td>
          <td style={cellStyle}>
            <TradeIdLink tradeId={debt.tradeId} />
          </td>
          <td style={cellStyle}>{formatInstant(debt.createdAt)}</td>
        </tr>
      ))}
    </PlainTable>
  );
}
