import { afterEach, describe, expect, it, vi } from 'vitest';

import { dataProvider, maxPerPage, toListInput, UnsupportedCallError } from './dataProvider.ts';

describe('toListInput', () => {
  it('passes paging, sort and filter through', () => {
    const input = toListInput({
      pagination: { page: 3, perPage: 50 },
      sort: { field: 'email', order: 'ASC' },
      filter: { kycStatus: 'PENDING', q: 'ana' },
    });

    expect(input).toEqual({
      page: 3,
      perPage: 50,
      sortField: 'email',
      sortOrder: 'ASC',
      filter: { kycStatus: 'PENDING', q: 'ana' },
    });
  });

  it('drops empty filter values', () => {
    const input = toListInput({
      filter: { q: '', kycStatus: undefined, role: null, state: 'LISTED' },
    });

    expect(input.filter).toEqual({ state: 'LISTED' });
  });

  it('caps the page size at the API maximum', () => {
    const input = toListInput({ pagination: { page: 1, perPage: 1000 } });

    expect(input.perPage).toBe(maxPerPage);
  });

  it('defaults to page 1 of 25', () => {
    const input = toListInput({});

    expect(input).toEqual({ page: 1, perPage: 25, filter: {} });
  });

  it('treats non-ASC order as DESC', () => {
    const input = toListInput({ sort: { field: 'createdAt', order: 'desc' as never } });

    expect(input.sortOrder).toBe('DESC');
  });
});

describe('dataProvider unsupported calls', () => {
  const fetchSpy = vi.spyOn(globalThis, 'fetch');

  afterEach(() => {
    fetchSpy.mockClear();
  });

  it('rejects non-KYC writes offline', async () => {
    await expect(dataProvider.delete('tickets', { id: 'x' })).rejects.toThrow(
      UnsupportedCallError,
    );
    await expect(dataProvider.create('users', { data: {} })).rejects.toThrow(/cannot run create/);
    const ticketUpdate = dataProvider.update('tickets', {
      id: 'x',
      data: { state: 'LISTED' },
      previousData: { id: 'x' },
    });
    await expect(ticketUpdate).rejects.toThrow(/only a user's kycStatus/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('rejects user update beyond KYC', async () => {
    const update = dataProvider.update('users', {
      id: 'u1',
      data: { kycStatus: 'VERIFIED', email: 'new@example.test' },
      previousData: { id: 'u1', email: 'old@example.test' },
    });

    await expect(update).rejects.toThrow(UnsupportedCallError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('rejects getOne on audit', async () => {
    await expect(dataProvider.getOne('audit', { id: '1' })).rejects.toThrow(/no get procedure/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('rejects an unknown resource', async () => {
    await expect(dataProvider.getList('payments', {})).rejects.toThrow(/no such resource/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('rejects unsupported reference target', async () => {
    const references = dataProvider.getManyReference('tickets', {
      target: 'eventId',
      id: 'e1',
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'createdAt', order: 'DESC' },
      filter: {},
    });

    await expect(references).rejects.toThrow(/"eventId" is not a filter/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('dataProvider disputes', () => {
  const fetchSpy = vi.spyOn(globalThis, 'fetch');

  afterEach(() => {
    fetchSpy.mockReset();
  });

  // The request is stopped at fetch, so these tests check what would be sent to the API.
  function sentProcedureAndInput(): { path: string; input: unknown } {
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const url = new URL(String(fetchSpy.mock.calls[0]![0]), 'http://console.test');
    const batch = JSON.parse(url.searchParams.get('input') ?? '{}') as Record<
      string,
      { json: unknown }
    >;

    return { path: url.pathname, input: batch['0']?.json };
  }

  it('sends the dispute list to admin.disputes.list', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(
      dataProvider.getList('disputes', {
        pagination: { page: 2, perPage: 10 },
        sort: { field: 'state', order: 'ASC' },
        filter: { state: 'OPEN' },
      }),
    ).rejects.toThrow();

    const sent = sentProcedureAndInput();
    expect(sent.path).toBe('/trpc/admin.disputes.list');
    expect(sent.input).toEqual({
      page: 2,
      perPage: 10,
      sortField: 'state',
      sortOrder: 'ASC',
      filter: { state: 'OPEN' },
    });
  });

  it('sends one dispute to admin.disputes.get', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(dataProvider.getOne('disputes', { id: 'd-1' })).rejects.toThrow();

    const sent = sentProcedureAndInput();
    expect(sent.path).toBe('/trpc/admin.disputes.get');
    expect(sent.input).toEqual({ id: 'd-1' });
  });

  it('rejects dispute writes offline', async () => {
    const update = dataProvider.update('disputes', {
      id: 'd-1',
      data: { state: 'RESOLVED' },
      previousData: { id: 'd-1', state: 'OPEN' },
    });

    await expect(update).rejects.toThrow(UnsupportedCallError);
    await expect(dataProvider.delete('disputes', { id: 'd-1' })).rejects.toThrow(
      /only through KYC, dispute, transfer review and fraud case decisions, debt write-offs/,
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('dataProvider transfer reviews', () => {
  const fetchSpy = vi.spyOn(globalThis, 'fetch');

  afterEach(() => {
    fetchSpy.mockReset();
  });

  // The request is stopped at fetch, so these tests check what would be sent to the API.
  function sentRequest(): { path: string; input: unknown } {
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const url = new URL(String(fetchSpy.mock.calls[0]![0]), 'http://console.test');
    const batch = JSON.parse(url.searchParams.get('input') ?? '{}') as Record<
      string,
      { json: unknown }
    >;

    return { path: url.pathname, input: batch['0']?.json };
  }

  it('sends the queue to admin.transferReviews.list', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(
      dataProvider.getList('transferReviews', {
        pagination: { page: 1, perPage: 25 },
        sort: { field: 'staffReviewAt', order: 'ASC' },
        filter: { tradeState: 'ESCROWED' },
      }),
    ).rejects.toThrow();

    const sent = sentRequest();
    expect(sent.path).toBe('/trpc/admin.transferReviews.list');
    expect(sent.input).toEqual({
      page: 1,
      perPage: 25,
      sortField: 'staffReviewAt',
      sortOrder: 'ASC',
      filter: { tradeState: 'ESCROWED' },
    });
  });

  it('sends one entry to admin.transferReviews.get', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(dataProvider.getOne('transferReviews', { id: 't-1' })).rejects.toThrow();

    const sent = sentRequest();
    expect(sent.path).toBe('/trpc/admin.transferReviews.get');
    expect(sent.input).toEqual({ id: 't-1' });
  });

  it('rejects transfer review writes offline', async () => {
    const update = dataProvider.update('transferReviews', {
      id: 't-1',
      data: { state: 'CONFIRMED' },
      previousData: { id: 't-1', state: 'FAILED' },
    });

    await expect(update).rejects.toThrow(UnsupportedCallError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('dataProvider fraud cases and debts', () => {
  const fetchSpy = vi.spyOn(globalThis, 'fetch');

  afterEach(() => {
    fetchSpy.mockReset();
  });

  // The request is stopped at fetch, so these tests check what would be sent to the API.
  function sentRequest(): { path: string; input: unknown } {
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const url = new URL(String(fetchSpy.mock.calls[0]![0]), 'http://console.test');
    const batch = JSON.parse(url.searchParams.get('input') ?? '{}') as Record<
      string,
      { json: unknown }
    >;

    return { path: url.pathname, input: batch['0']?.json };
  }

  it('sends the case list to admin.fraudCases.list', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(
      dataProvider.getList('fraudCases', {
        pagination: { page: 1, perPage: 25 },
        sort: { field: 'state', order: 'ASC' },
        filter: { state: 'OPEN' },
      }),
    ).rejects.toThrow();

    const sent = sentRequest();
    expect(sent.path).toBe('/trpc/admin.fraudCases.list');
    expect(sent.input).toEqual({
      page: 1,
      perPage: 25,
      sortField: 'state',
      sortOrder: 'ASC',
      filter: { state: 'OPEN' },
    });
  });

  it('sends one case to admin.fraudCases.get', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(dataProvider.getOne('fraudCases', { id: 'f-1' })).rejects.toThrow();

    const sent = sentRequest();
    expect(sent.path).toBe('/trpc/admin.fraudCases.get');
    expect(sent.input).toEqual({ id: 'f-1' });
  });

  it('sends the debt list to admin.debts.list', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(
      dataProvider.getList('debts', {
        pagination: { page: 2, perPage: 10 },
        sort: { field: 'createdAt', order: 'DESC' },
        filter: { state: 'OPEN', userId: '' },
      }),
    ).rejects.toThrow();

    const sent = sentRequest();
    expect(sent.path).toBe('/trpc/admin.debts.list');
    expect(sent.input).toEqual({
      page: 2,
      perPage: 10,
      sortField: 'createdAt',
      sortOrder: 'DESC',
      filter: { state: 'OPEN' },
    });
  });

  it('sends one debt to admin.debts.get', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(dataProvider.getOne('debts', { id: 'd-9' })).rejects.toThrow();

    const sent = sentRequest();
    expect(sent.path).toBe('/trpc/admin.debts.get');
    expect(sent.input).toEqual({ id: 'd-9' });
  });

  it('sends a trader\'s debts as a userId filter', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(
      dataProvider.getManyReference('debts', {
        target: 'userId',
        id: 'u-7',
        pagination: { page: 1, perPage: 10 },
        sort: { field: 'createdAt', order: 'DESC' },
        filter: {},
      }),
    ).rejects.toThrow();

    const sent = sentRequest();
    expect(sent.path).toBe('/trpc/admin.debts.list');
    expect(sent.input).toMatchObject({ filter: { userId: 'u-7' } });
  });

  it('rejects case and debt writes offline', async () => {
    const caseUpdate = dataProvider.update('fraudCases', {
      id: 'f-1',
      data: { state: 'CONFIRMED' },
      previousData: { id: 'f-1', state: 'OPEN' },
    });
    const debtUpdate = dataProvider.update('debts', {
      id: 'd-9',
      data: { state: 'WRITTEN_OFF' },
      previousData: { id: 'd-9', state: 'OPEN' },
    });

    await expect(caseUpdate).rejects.toThrow(UnsupportedCallError);
    await expect(debtUpdate).rejects.toThrow(UnsupportedCallError);
    await expect(dataProvider.delete('debts', { id: 'd-9' })).rejects.toThrow(UnsupportedCallError);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});

describe('dataProvider parked events', () => {
  const fetchSpy = vi.spyOn(globalThis, 'fetch');

  afterEach(() => {
    fetchSpy.mockReset();
  });

  // The request is stopped at fetch, so these tests check what would be sent to the API.
  function sentRequest(): { path: string; input: unknown } {
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const url = new URL(String(fetchSpy.mock.calls[0]![0]), 'http://console.test');
    const batch = JSON.parse(url.searchParams.get('input') ?? '{}') as Record<
      string,
      { json: unknown }
    >;

    return { path: url.pathname, input: batch['0']?.json };
  }

  it('sends the list to admin.outbox.parked', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(
      dataProvider.getList('parkedEvents', {
        pagination: { page: 3, perPage: 10 },
        sort: { field: 'parkedAt', order: 'DESC' },
        filter: {},
      }),
    ).rejects.toThrow();

    const sent = sentRequest();
    expect(sent.path).toBe('/trpc/admin.outbox.parked');
    expect(sent.input).toEqual({ page: 3, perPage: 10 });
  });

  it('caps the parked page size', async () => {
    fetchSpy.mockRejectedValue(new TypeError('stopped before the network'));

    await expect(
      dataProvider.getList('parkedEvents', { pagination: { page: 1, perPage: 1000 } }),
    ).rejects.toThrow();

    expect(sentRequest().input).toEqual({ page: 1, perPage: maxPerPage });
  });

  it('rejects getOne and references offline', async () => {
    await expect(dataProvider.getOne('parkedEvents', { id: '7' })).rejects.toThrow(
      /no get procedure/,
    );
    const references = dataProvider.getManyReference('parkedEvents', {
      target: 'aggregateId',
      id: 't-1',
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'parkedAt', order: 'DESC' },
      filter: {},
    });
    await expect(references).rejects.toThrow(/"aggregateId" is not a filter/);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('rejects parked event writes offline', async () => {
    const update = dataProvider.update('parkedEvents', {
      id: '7',
      data: { parkedAt: null },
      previousData: { id: '7', parkedAt: new Date() },
    });

    await expect(update).rejects.toThrow(UnsupportedCallError);
    await expect(dataProvider.delete('parkedEvents', { id: '7' })).rejects.toThrow(
      /debt write-offs and outbox event requeues/,
    );
    expect(fetchSpy).not.toHaveBeenCalled();
  });
});
