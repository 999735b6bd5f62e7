import { useId } from 'react';
import { Link, useParams } from 'react-router-dom';

import {
  Alert,
  Credits,
  StatusMessage,
  formatConfidence,
  formatCredits,
  formatLocalTime,
} from '@ts/ui';

import { describeError } from '../errors.ts';
import { usePageTitle } from '../page-title.ts';
import { trpc, type RouterOutputs } from '../trpc.ts';

type Explanation = RouterOutputs['valuation']['explain'];
type Latest = NonNullable<Explanation['latest']>;
type Contribution = Latest['contributions'][number];
type HistoryPoint = Explanation['history'][number];

// Bars that raise the value and bars that lower it differ in colour, and also in direction
// and in their "+" or "−" label, so the chart does not depend on colour alone.
const RAISE_COLOUR = '#1d4ed8';
const LOWER_COLOUR = '#c2410c';
const MINUS = '\u2212';
/** Comparables shown; the valuation stores up to 40, nearest the median first. */
const SHOWN_COMPARABLES = 10;

/** "+12.34" or "−5.00": a signed amount of credits for chart labels. */
function signedCredits(minor: number): string {
  const amount = (Math.abs(minor) / 100).toFixed(2);
  if (minor > 0) return `+${amount}`;
  if (minor < 0) return `${MINUS}${amount}`;

  return `±${amount}`;
}

function describeMethod(point: HistoryPoint): string {
  if (point.fallback) return 'comparables (fallback)';

  return point.method === 'MODEL' ? 'model' : 'comparables';
}

function describeInput(contribution: Contribution): string {
  if (contribution.input === null) return 'unknown';
  if (contribution.feature === 'section_score') return `${contribution.input.toFixed(2)} of 1`;
  if (contribution.feature === 'is_rivalry') return contribution.input ? 'yes' : 'no';
  if (contribution.feature === 'day_of_week') {
    return ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][
      contribution.input
    ] ?? String(contribution.input);
  }
  if (contribution.feature === 'category') {
    return ['sports', 'concert', 'theatre', 'festival', 'other'][contribution.input] ?? 'other';
  }

  return contribution.input.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function TicketValuePage() {
  usePageTitle('Why this price?');
  const { id = '' } = useParams();
  const explained = trpc.valuation.explain.useQuery({ ticketId: id }, { retry: false });

  if (explained.isPending) {
    return (
      <>
        <h1>Why this price?</h1>
        <StatusMessage>Loading the valuation…</StatusMessage>
      </>
    );
  }
  if (explained.isError) {
    const error = describeError(explained.error);

    return (
      <>
        <h1>Why this price?</h1>
        <Alert tone="error">
          {error.appCode === 'INVALID_INPUT' ? 'Ticket not found.' : error.message}
        </Alert>
        <p>
          <Link to="/tickets">Back to my tickets</Link>
        </p>
      </>
    );
  }

  const { ticket, latest, history } = explained.data;

  return (
    <>
      <h1>Why this price?</h1>
      <p>
        {ticket.eventName ?? 'Ticket without an event'}
        {ticket.section ? `, ${ticket.section}` : ''}
        {ticket.row ? `, row ${ticket.row}` : ''}. Value now: <Credits minor={ticket.valueMinor} />.
      </p>
      {latest ? <LatestValuation latest={latest} /> : (
        <p>This ticket has not been valued yet. It is valued when you list it.</p>
      )}
      {history.length > 0 ? <ValueHistory history={history} /> : null}
      <p>
        <Link to="/tickets">Back to my tickets</Link>
      </p>
    </>
  );
}

function LatestValuation({ latest }: { latest: Latest }) {
  return (
    <section aria-labelledby="latest-heading">
      <h2 id="latest-heading">Latest valuation</h2>
      <dl className="facts">
        <dt>Value</dt>
        <dd><Credits minor={latest.valueMinor} /></dd>
        <dt>Valued</dt>
        <dd>{formatLocalTime(latest.createdAt)}</dd>
        <dt>Method</dt>
        <dd>
          {latest.fallback
            ? 'Median of comparable tickets (the model was not confident enough)'
            : latest.method === 'MODEL' ? 'Price model' : 'Median of comparable tickets'}
        </dd>
        <dt>Model version</dt>
        <dd>{latest.modelVersion}</dd>
        <dt>Confidence</dt>
        <dd>{formatConfidence(latest.confidence)}</dd>
      </dl>
      {latest.capped ? (
        <Alert tone="info">
          The value is capped at the share of face value your jurisdiction allows for resale.
        </Alert>
      ) : null}
      {latest.fallback ? (
        <Alert tone="info">
          The model predicted {formatCredits(latest.predictedMinor ?? 0)}, but its confidence
          was below 0.75, so the value is the median of {latest.comparablesCount} comparable
          prices instead. The chart still shows what drove the model's prediction.
        </Alert>
      ) : null}
      {latest.contributions.length > 0 ? <ContributionChart latest={latest} /> : null}
      {latest.comparables.length > 0 ? <ComparablesTable latest={latest} /> : null}
    </section>
  );
}

function ContributionChart({ latest }: { latest: Latest }) {
  const captionId = useId();
  const rows = latest.contributions;
  const largest = Math.max(1, ...rows.map((row) => Math.abs(row.valueMinor)));
  const labelWidth = 190;
  const barArea = 300;
  const rowHeight = 26;
  const axisX = labelWidth + barArea / 2;
  const width = labelWidth + barArea + 20;
  const height = rows.length * rowHeight + 10;

  return (
    <figure aria-labelledby={captionId} className="value-chart">
      <figcaption id={captionId}>
        What moved the model's prediction of {formatCredits(latest.predictedMinor ?? 0)} away
        from its average of {formatCredits(latest.baseValueMinor ?? 0)}, largest effect first.
        Bars to the right (+) raise the price, bars to the left ({MINUS}) lower it.
      </figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: `${width}px` }}
        role="img"
        aria-label="Contributions chart; the table below lists the same values"
        data-testid="contribution-chart"
      >
        <line x1={axisX} x2={axisX} y1={0} y2={height} stroke="#4a5160" />
        {rows.map((row, index) => {
          const length = (Math.abs(row.valueMinor) / largest) * (barArea / 2 - 50);
          const raises = row.valueMinor >= 0;
          const y = index * rowHeight + 5;
          const x = raises ? axisX : axisX - length;
          const textX = raises ? axisX + length + 4 : axisX - length - 4;

          return (
            <g key={row.feature} data-feature={row.feature}>
              <text x={0} y={y + 15} fontSize={13} fill="#1a1d29">{row.label}</text>
              <rect
                x={x}
                y={y + 3}
                width={Math.max(length, 1)}
                height={rowHeight - 8}
                fill={raises ? RAISE_COLOUR : LOWER_COLOUR}
              />
              <text
                x={textX}
                y={y + 15}
                fontSize={12}
                textAnchor={raises ? 'start' : 'end'}
                fill="#1a1d29"
              >
                {signedCredits(row.valueMinor)}
              </text>
            </g>
          );
        })}
      </svg>
      <table>
        <caption className="visually-hidden">Contributions as a table</caption>
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">This ticket</th>
            <th scope="col">Effect on the price (credits)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.feature}>
              <th scope="row">{row.label}</th>
              <td>{describeInput(row)}</td>
              <td>{signedCredits(row.valueMinor)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function ComparablesTable({ latest }: { latest: Latest }) {
  const shown = latest.comparables.slice(0, SHOWN_COMPARABLES);

  return (
    <section aria-labelledby="comparables-heading">
      <h3 id="comparables-heading">Comparable tickets used</h3>
      <p>
        {latest.comparablesCount} prices
        {latest.comparablesBasis === 'tier' ? ' from the same event and seat tier' : null}
        {latest.comparablesBasis === 'event' ? ' from the same event' : null}
        {latest.comparablesBasis === 'category' ? ' from events of the same kind' : null}
        , median{' '}
        {formatCredits(latest.comparablesMedianMinor ?? 0)}. The {shown.length} nearest the median
        are listed.
      </p>
      <table data-testid="comparables-table">
        <thead>
          <tr>
            <th scope="col">Price</th>
            <th scope="col">Seat tier</th>
            <th scope="col">Source</th>
            <th scope="col">Observed</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((comparable, index) => (
            <tr key={index}>
              <td>{formatCredits(comparable.priceMinor)}</td>
              <td>{comparable.sectionTier ?? 'any'}</td>
              <td>{comparable.source}</td>
              <td>{formatLocalTime(new Date(comparable.observedAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function ValueHistory({ history }: { history: HistoryPoint[] }) {
  const captionId = useId();
  const width = 520;
  const height = 160;
  const padding = 30;
  const values = history.map((point) => point.valueMinor);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const span = Math.max(1, high - low);
  const points = history.map((point, index) => {
    const x = history.length === 1
      ? width / 2
      : padding + (index / (history.length - 1)) * (width - 2 * padding);
    const y = height - padding - ((point.valueMinor - low) / span) * (height - 2 * padding);

    return { x, y, point };
  });

  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">Value history</h2>
      <figure aria-labelledby={captionId}>
        <figcaption id={captionId}>
          {history.length} valuations from {formatCredits(low)} to {formatCredits(high)}, oldest
          on the left.
        </figcaption>
        <svg
          viewBox={`0 0 ${width} ${height}`}
          width="100%"
          style={{ maxWidth: `${width}px` }}
          role="img"
          aria-label="Value history chart; the table below lists the same valuations"
          data-testid="history-chart"
        >
          <polyline
            points={points.map(({ x, y }) => `${x},${y}`).join(' ')}
            fill="none"
            stroke={RAISE_COLOUR}
            strokeWidth={2}
          />
          {points.map(({ x, y, point }, index) => (
            <circle key={index} cx={x} cy={y} r={4} fill={RAISE_COLOUR}>
              <title>
                {`${formatLocalTime(point.createdAt)}: ${formatCredits(point.valueMinor)}`}
              </title>
            </circle>
          ))}
        </svg>
      </figure>
      <table data-testid="history-table">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Value</th>
            <th scope="col">How</th>
            <th scope="col">Confidence</th>
          </tr>
        </thead>
        <tbody>
          {[...history].reverse().map((point, index) => (
            <tr key={index}>
              <td>{formatLocalTime(point.createdAt)}</td>
              <td>{formatCredits(point.valueMinor)}</td>
              <td>
                {describeMethod(point)}
                {' · '}
                {point.modelVersion}
              </td>
              <td>{formatConfidence(point.confidence)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
