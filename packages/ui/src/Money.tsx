import { formatCredits, formatCurrency } from './format.ts';

interface AmountProps {
  /** Amount in minor units (cents). Null or undefined renders the fallback text. */
  minor: number | null | undefined;
  fallback?: string;
}

/** Renders an amount of ticket credits, e.g. "1,234.50 credits". */
export function Credits({ minor, fallback = 'Not valued yet' }: AmountProps) {
  if (minor === null || minor === undefined) {
    return <span className="amount amount--missing">{fallback}</span>;
  }

  return <span className="amount">{formatCredits(minor)}</span>;
}

/** Renders a cash amount, e.g. "$12.00". */
export function Money({
  minor,
  currency = 'USD',
  fallback = 'Unknown',
}: AmountProps & { currency?: string }) {
  if (minor === null || minor === undefined) {
    return <span className="amount amount--missing">{fallback}</span>;
  }

  return <span className="amount">{formatCurrency(minor, currency)}</span>;
}
