import { keepPreviousData } from '@tanstack/react-query';
import { useDeferredValue, useState } from 'react';

import { SelectField, TextField, formatEventTime } from '@ts/ui';

import { trpc, type EventOption } from '../trpc.ts';

interface EventPickerProps {
  /** Form field name of the select, so the chosen event id is part of the form's data. */
  name: string;
  label?: string;
  /** Text of the empty choice, e.g. "Any event". */
  emptyLabel: string;
  /** Event chosen when the picker first renders, shown even if a search leaves it out. */
  initialEvent?: EventOption | null;
  hint?: string;
  error?: string;
}

/** Renders a search box and the upcoming events that match it. The select is the form control. */
export function EventPicker({
  name,
  label = 'Event',
  emptyLabel,
  initialEvent = null,
  hint,
  error,
}: EventPickerProps) {
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<EventOption | null>(initialEvent);
  const deferredSearch = useDeferredValue(search.trim());
  const events = trpc.market.events.useQuery(
    { search: deferredSearch || undefined, limit: 20 },
    { placeholderData: keepPreviousData },
  );

  const options = events.data ?? [];
  const choices = selected && !options.some((e) => e.id === selected.id)
    ? [selected, ...options]
    : options;

  return (
    <div className="form">
      <TextField
        label="Search by name"
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        hint={events.isFetching ? 'Searching…' : `${options.length} upcoming events found.`}
      />
      <SelectField
        label={label}
        name={name}
        value={selected?.id ?? ''}
        onChange={(event) => {
          setSelected(choices.find((e) => e.id === event.target.value) ?? null);
        }}
        hint={hint}
        error={error ?? (events.isError ? events.error.message : undefined)}
      >
        <option value="">{emptyLabel}</option>
        {choices.map((event) => (
          <option key={event.id} value={event.id}>
            {describeEvent(event)}
          </option>
        ))}
      </SelectField>
    </div>
  );
}

function describeEvent(event: EventOption): string {
  const when = formatEventTime(event.startsAt, event.venue.timezone);

  return `${event.name} · ${when} · ${event.venue.name}, ${event.venue.city}`;
}
