import { FunctionField, type FieldProps, type RaRecord } from 'react-admin';

import { formatCredits } from '@ts/ui';

import { formatMinorUnits } from '../credits.ts';

type AmountFieldProps = Omit<FieldProps, 'source' | 'record'> & { source: string };

/** Shows an integer amount in minor units as credits, or a dash when the value is not set. */
export function CreditsField({ source, ...rest }: AmountFieldProps) {
  return (
    <FunctionField
      source={source}
      {...rest}
      render={(record: RaRecord) => {
        const minor: unknown = record[source];

        return typeof minor === 'number' ? formatCredits(minor) : '—';
      }}
    />
  );
}

/**
 * Shows a cash amount in minor units as a plain decimal, or a dash when it is not set.
 * NOTE: the admin API does not return the ticket's currency, so none is printed.
 */
export function MinorUnitsField({ source, ...rest }: AmountFieldProps) {
  return (
    <FunctionField
      source={source}
      {...rest}
      render={(record: RaRecord) => {
        const minor: unknown = record[source];

        return typeof minor === 'number' ? formatMinorUnits(minor) : '—';
      }}
    />
  );
}
