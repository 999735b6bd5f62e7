import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router-dom';

import {
  Alert,
  Credits,
  SelectField,
  StatusMessage,
  TextField,
  humanizeState,
  parseAmountToMinor,
} from '@ts/ui';

import { ProposeSwap } from '../components/ProposeSwap.tsx';
import { EventFacts, describeSeat } from '../components/TicketFacts.tsx';
import { endOfDay, startOfDay } from '../dates.ts';
import { usePageTitle } from '../page-title.ts';
import { useMe } from '../session.tsx';
import {
  categories,
  trpc,
  type Category,
  type MarketTicket,
  type Me,
  type RouterInputs,
} from '../trpc.ts';

type BrowseInput = RouterInputs['market']['browse'];

const pageSize = 24;
const filterNames = ['search', 'category', 'city', 'from', 'to', 'min', 'max'] as const;

/** Builds the browse query from the address bar, so a filtered view can be bookmarked. */
function browseInputFrom(params: URLSearchParams): BrowseInput {
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const category = text('category');
  const min = text('min');
  const max = text('max');

  return {
    search: text('search'),
    category: categories.includes(category as Category) ? (category as Category) : undefined,
    city: text('city'),
    dateFrom: startOfDay(text('from') ?? ''),
    dateTo: endOfDay(text('to') ?? ''),
    minValueMinor: min ? (parseAmountToMinor(min) ?? undefined) : undefined,
    maxValueMinor: max ? (parseAmountToMinor(max) ?? undefined) : undefined,
    limit: pageSize,
  };
}

export function MarketPage() {
  usePageTitle('Marketplace');
  const [params, setParams] = useSearchParams();
  const me = useMe();
  const input = browseInputFrom(params);
  const browse = trpc.market.browse.useInfiniteQuery(input, {
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const items = browse.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <h1>Marketplace</h1>
      <Filters
        key={params.toString()}
        params={params}
        onApply={(next) => setParams(next)}
      />
      <TradingNote me={me.data ?? null} />
      {browse.isError ? <Alert tone="error">{browse.error.message}</Alert> : null}
      <StatusMessage>
        {describeProgress(browse.isPending, browse.isFetchingNextPage, items)}
      </StatusMessage>
      <ul className="card-list">
        {items.map((ticket) => (
          <li key={ticket.id}>
            <MarketCard ticket={ticket} canPropose={me.data?.kycStatus === 'VERIFIED'} />
          </li>
        ))}
      </ul>
      {browse.hasNextPage ? (
        <p>
          <button
            type="button"
            className="button button--secondary"
            disabled={browse.isFetchingNextPage}
            onClick={() => void browse.fetchNextPage()}
          >
            Load more
          </button>
        </p>
      ) : null}
    </>
  );
}

function describeProgress(loading: boolean, loadingMore: boolean, items: MarketTicket[]) {
  if (loading) {
    return 'Loading tickets…';
  }
  if (loadingMore) {
    return 'Loading more tickets…';
  }
  if (items.length === 0) {
    return 'No listed tickets match these filters.';
  }

  return `Showing ${items.length} ${items.length === 1 ? 'ticket' : 'tickets'}.`;
}

function TradingNote({ me }: { me: Me | null }) {
  if (!me) {
    return (
      <Alert tone="info">
        <p>
          <Link to="/login">Log in</Link> to propose a swap for one of these tickets.
        </p>
      </Alert>
    );
  }
  if (me.role === 'TRADER' && me.kycStatus !== 'VERIFIED') {
    return (
      <Alert tone="info" title="Identity check not verified">
        <p>
          Your identity check is {me.kycStatus.toLowerCase()}. You can browse now and propose
          swaps once it is verified.
        </p>
      </Alert>
    );
  }

  return null;
}

interface FiltersProps {
  params: URLSearchParams;
  onApply: (params: URLSearchParams) => void;
}

function Filters({ params, onApply }: FiltersProps) {
  const [errors, setErrors] = useState<{ min?: string; max?: string }>({});

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    for (const name of filterNames) {
      const value = String(form.get(name) ?? '').trim();
      if (value) {
        next.set(name, value);
      }
    }

    const invalid = 'Enter a number of credits, such as 120 or 120.50.';
    const min = next.get('min');
    const max = next.get('max');
    const found = {
      min: min && parseAmountToMinor(min) === null ? invalid : undefined,
      max: max && parseAmountToMinor(max) === null ? invalid : undefined,
    };
    setErrors(found);
    if (found.min || found.max) {
      return;
    }
    onApply(next);
  }

  const value = (name: string) => params.get(name) ?? '';

  return (
    <form className="panel form form--inline" onSubmit={submit} aria-label="Filter tickets">
      <TextField label="Search" name="search" type="search" defaultValue={value('search')} />
      <SelectField label="Category" name="category" defaultValue={value('category')}>
        <option value="">All categories</option>
        {categories.map((category) => (
          <option key={category} value={category}>
            {humanizeState(category)}
          </option>
        ))}
      </SelectField>
      <TextField label="City" name="city" defaultValue={value('city')} />
      <TextField label="From date" name="from" type="date" defaultValue={value('from')} />
      <TextField label="To date" name="to" type="date" defaultValue={value('to')} />
      <TextField
        label="Min credits"
        name="min"
        inputMode="decimal"
        defaultValue={value('min')}
        error={errors.min}
      />
      <TextField
        label="Max credits"
        name="max"
        inputMode="decimal"
        defaultValue={value('max')}
        error={errors.max}
      />
      <div className="button-row">
        <button type="submit" className="button">
          Apply filters
        </button>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => onApply(new URLSearchParams())}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}

function MarketCard({ ticket, canPropose }: { ticket: MarketTicket; canPropose: boolean }) {
  const headingId = useId();

  return (
    <article className="card" aria-labelledby={headingId}>
      <h2 className="card__title" id={headingId}>
        {ticket.event?.name ?? 'Unnamed event'}
      </h2>
      <dl className="facts">
        <EventFacts event={ticket.event} />
        <dt>Seat</dt>
        <dd>{describeSeat(ticket)}</dd>
        <dt>Value</dt>
        <dd>
          <Credits minor={ticket.valueMinor} />
        </dd>
      </dl>
      {canPropose ? <ProposeSwap wantedTicket={ticket} /> : null}
    </article>
  );
}
