import { useId, useState, type FormEvent } from 'react';

import { Alert, SelectField, StatusMessage, TextField, humanizeState } from '@ts/ui';

import { EventPicker } from '../components/EventPicker.tsx';
import { endOfDay, formatDay, startOfDay } from '../dates.ts';
import { describeError } from '../errors.ts';
import { usePageTitle } from '../page-title.ts';
import { useMe } from '../session.tsx';
import { categories, trpc, type Category, type Me, type Want } from '../trpc.ts';

const maxDestinations = 10;

export function WantsPage() {
  usePageTitle('What I want');
  const me = useMe();

  return (
    <>
      <h1>What I want</h1>
      <p>
        Matching prefers swaps that bring you what you list here and tickets near the cities
        you name.
      </p>
      <WantsSection />
      {me.data ? <LocationSection me={me.data} /> : null}
    </>
  );
}

function WantsSection() {
  const headingId = useId();
  const utils = trpc.useUtils();
  const wants = trpc.wants.list.useQuery();
  const [formKey, setFormKey] = useState(0);
  const add = trpc.wants.add.useMutation({
    onSuccess: async () => {
      await utils.wants.list.invalidate();
      // A new key renders an empty form for the next want.
      setFormKey((key) => key + 1);
    },
  });
  const remove = trpc.wants.remove.useMutation({
    onSuccess: () => utils.wants.list.invalidate(),
  });
  const addError = add.error ? describeError(add.error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    add.mutate({
      eventId: text('eventId'),
      category: text('category') as Category | undefined,
      city: text('city'),
      dateFrom: startOfDay(text('dateFrom') ?? ''),
      dateTo: endOfDay(text('dateTo') ?? ''),
    });
  }

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Tickets I want</h2>
      {wants.isError ? <Alert tone="error">{wants.error.message}</Alert> : null}
      {remove.error ? <Alert tone="error">{describeError(remove.error).message}</Alert> : null}
      <StatusMessage hidden={!wants.isPending}>
        {wants.isPending ? 'Loading your wants…' : `${wants.data?.length ?? 0} wants saved.`}
      </StatusMessage>
      {wants.data?.length === 0 ? <p>You have not said what you want yet.</p> : null}
      <ul>
        {wants.data?.map((want) => {
          const description = describeWant(want);

          return (
            <li key={want.id} className="button-row">
              <span>{description}</span>
              <button
                type="button"
                className="button button--danger"
                disabled={remove.isPending}
                onClick={() => remove.mutate({ wantId: want.id })}
              >
                Remove<span className="visually-hidden"> want: {description}</span>
              </button>
            </li>
          );
        })}
      </ul>

      <h3>Add a want</h3>
      <p className="muted">Name at least an event, a category or a city.</p>
      {addError ? <Alert tone="error">{addError.message}</Alert> : null}
      <form key={formKey} className="form" onSubmit={submit} aria-label="Add a want">
        <EventPicker name="eventId" emptyLabel="Any event" />
        <SelectField label="Category" name="category" defaultValue="">
          <option value="">Any category</option>
          {categories.map((category) => (
            <option key={category} value={category}>
              {humanizeState(category)}
            </option>
          ))}
        </SelectField>
        <TextField label="Venue city" name="city" maxLength={80} />
        <TextField label="From date" name="dateFrom" type="date" />
        <TextField label="To date" name="dateTo" type="date" />
        <div className="button-row">
          <button type="submit" className="button" disabled={add.isPending}>
            Add want
          </button>
        </div>
      </form>
    </section>
  );
}

function describeWant(want: Want): string {
  const parts = [
    want.event?.name,
    want.category ? humanizeState(want.category) : null,
    want.city ? `in ${want.city}` : null,
    want.dateFrom ? `from ${formatDay(want.dateFrom)}` : null,
    want.dateTo ? `until ${formatDay(want.dateTo)}` : null,
  ].filter(Boolean);

  return parts.join(', ');
}

function LocationSection({ me }: { me: Me }) {
  const headingId = useId();
  const utils = trpc.useUtils();
  const [cityError, setCityError] = useState<string>();
  const save = trpc.wants.setLocation.useMutation({
    onSuccess: () => utils.auth.me.invalidate(),
  });
  const error = save.error ? describeError(save.error) : null;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const homeCity = String(form.get('homeCity') ?? '').trim();
    const destinationCities = String(form.get('destinationCities') ?? '')
      .split(',')
      .map((city) => city.trim())
      .filter(Boolean);
    if (destinationCities.length > maxDestinations) {
      setCityError(`Name at most ${maxDestinations} cities.`);

      return;
    }
    setCityError(undefined);
    save.mutate({ homeCity: homeCity || null, destinationCities });
  }

  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>Where I am and where I travel</h2>
      {error ? <Alert tone="error">{error.message}</Alert> : null}
      <form className="form" onSubmit={submit} aria-label="Location">
        <TextField
          label="Home city"
          name="homeCity"
          maxLength={80}
          defaultValue={me.homeCity ?? ''}
          autoComplete="address-level2"
        />
        <TextField
          label="Destination cities"
          name="destinationCities"
          defaultValue={me.destinationCities.join(', ')}
          hint={`Cities you will travel to, separated by commas. At most ${maxDestinations}.`}
          error={cityError}
        />
        <div className="button-row">
          <button type="submit" className="button" disabled={save.isPending}>
            Save location
          </button>
        </div>
        <StatusMessage>{save.isSuccess ? 'Location saved.' : null}</StatusMessage>
      </form>
    </section>
  );
}
