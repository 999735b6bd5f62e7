import { humanizeState } from './format.ts';

type Tone = 'neutral' | 'success' | 'progress' | 'danger';

/** Colour family per state of tickets, proposals, trades, transfers and KYC checks. */
const toneByState: Record<string, Tone> = {
  LISTED: 'success',
  VERIFIED: 'success',
  ACCEPTED: 'success',
  COMPLETED: 'success',
  CONFIRMED: 'success',
  RELEASED: 'success',
  RESOLVED: 'success',
  OPEN: 'progress',
  PENDING: 'progress',
  IN_TRADE: 'progress',
  ESCROWED: 'progress',
  SENT: 'progress',
  HELD: 'progress',
  SUBMITTED: 'progress',
  UNDER_REVIEW: 'progress',
  DISPUTED: 'danger',
  REJECTED: 'danger',
  EXPIRED: 'danger',
  FAILED: 'danger',
  TIMED_OUT: 'danger',
  CANCELLED: 'danger',
};

interface StateBadgeProps {
  /** Enum value such as "IN_TRADE", shown as words ("In trade"). */
  state: string;
  /** Text put before the state, e.g. "KYC" gives "KYC: Verified". */
  prefix?: string;
}

/** Renders a state as text in a coloured pill. The colour only repeats the text. */
export function StateBadge({ state, prefix }: StateBadgeProps) {
  const tone = toneByState[state] ?? 'neutral';
  const label = humanizeState(state);

  return (
    <span className={`badge badge--${tone}`} data-state={state}>
      {prefix ? `${prefix}: ${label}` : label}
    </span>
  );
}
