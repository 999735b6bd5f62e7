import type {
  DataProvider,
  GetListParams,
  GetManyReferenceParams,
  Identifier,
  RaRecord,
  UpdateParams,
} from 'react-admin';

import { appCodeOf, trpc, type RouterInputs, type RouterOutputs } from './trpc.ts';

type AdminOutputs = RouterOutputs['admin'];

/** The list request every `admin.<resource>.list` procedure takes. */
export type ListInput = RouterInputs['admin']['users']['list'];

export type UserListRecord = AdminOutputs['users']['list']['data'][number];
export type UserRecord = AdminOutputs['users']['get'];
export type TicketListRecord = AdminOutputs['tickets']['list']['data'][number];
export type TicketRecord = AdminOutputs['tickets']['get'];
export type TradeRecord = AdminOutputs['trades']['get'];
export type DepositRecord = TradeRecord['deposits'][number];
export type AuditRecord = AdminOutputs['audit']['list']['data'][number];
export type DisputeListRecord = AdminOutputs['disputes']['list']['data'][number];
export type DisputeRecord = AdminOutputs['disputes']['get'];
export type TransferReviewListRecord = AdminOutputs['transferReviews']['list']['data'][number];
export type TransferReviewRecord = AdminOutputs['transferReviews']['get'];
export type FraudCaseListRecord = AdminOutputs['fraudCases']['list']['data'][number];
export type FraudCaseRecord = AdminOutputs['fraudCases']['get'];
export type DebtListRecord = AdminOutputs['debts']['list']['data'][number];
export type DebtRecord = AdminOutputs['debts']['get'];
export type ParkedEventRecord = AdminOutputs['outbox']['parked']['data'][number];

type CallOptions = { signal?: AbortSignal };

const listProcedures = {
  users: (input: ListInput, options: CallOptions) => trpc.admin.users.list.query(input, options),
  tickets: (input: ListInput, options: CallOptions) =>
    trpc.admin.tickets.list.query(input, options),
  trades: (input: ListInput, options: CallOptions) => trpc.admin.trades.list.query(input, options),
  disputes: (input: ListInput, options: CallOptions) =>
    trpc.admin.disputes.list.query(input, options),
  transferReviews: (input: ListInput, options: CallOptions) =>
    trpc.admin.transferReviews.list.query(input, options),
  fraudCases: (input: ListInput, options: CallOptions) =>
    trpc.admin.fraudCases.list.query(input, options),
  debts: (input: ListInput, options: CallOptions) => trpc.admin.debts.list.query(input, options),
  audit: (input: ListInput, options: CallOptions) => trpc.admin.audit.list.query(input, options),
  // The API returns parked events most recently parked first and takes no sort or filter.
  parkedEvents: (input: ListInput, options: CallOptions) =>
    trpc.admin.outbox.parked.query({ page: input.page, perPage: input.perPage }, options),
};

// The audit log and the parked outbox events have no `get` procedure, so their entries are read
// from the list only.
const getProcedures = {
  users: (id: string, options: CallOptions) => trpc.admin.users.get.query({ id }, options),
  tickets: (id: string, options: CallOptions) => trpc.admin.tickets.get.query({ id }, options),
  trades: (id: string, options: CallOptions) => trpc.admin.trades.get.query({ id }, options),
  disputes: (id: string, options: CallOptions) => trpc.admin.disputes.get.query({ id }, options),
  transferReviews: (id: string, options: CallOptions) =>
    trpc.admin.transferReviews.get.query({ id }, options),
  fraudCases: (id: string, options: CallOptions) =>
    trpc.admin.fraudCases.get.query({ id }, options),
  debts: (id: string, options: CallOptions) => trpc.admin.debts.get.query({ id }, options),
};

export type AdminResource = keyof typeof listProcedures;

/**
 * Filter keys that `getManyReference` may use as its target, per resource. The API ignores filter
 * keys it does not know, so an unlisted target would silently return every row.
 */
const referenceTargets: Partial<Record<AdminResource, readonly string[]>> = {
  tickets: ['ownerId'],
  audit: ['entityId', 'actorId'],
  fraudCases: ['userId'],
  debts: ['userId', 'tradeId'],
};

/** The largest page the list procedures accept. */
export const maxPerPage = 200;

/** Raised for a react-admin call that the admin API has no procedure for. */
export class UnsupportedCallError extends Error {
  constructor(method: string, resource: string, reason: string) {
    super(`The staff console cannot run ${method} on "${resource}": ${reason}`);
    this.name = 'UnsupportedCallError';
  }
}

function isListResource(resource: string): resource is AdminResource {
  return Object.hasOwn(listProcedures, resource);
}

function isGetResource(resource: string): resource is keyof typeof getProcedures {
  return Object.hasOwn(getProcedures, resource);
}

/**
 * Converts react-admin's list parameters to the API's list request. Empty filter values (a
 * cleared search box sends "") are dropped so they do not narrow the query.
 */
export function toListInput(params: Pick<GetListParams, 'pagination' | 'sort' | 'filter'>) {
  const page = Math.max(1, Math.trunc(params.pagination?.page ?? 1));
  const perPage = Math.min(maxPerPage, Math.max(1, Math.trunc(params.pagination?.perPage ?? 25)));
  const filter: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params.filter ?? {})) {
    if (value !== undefined && value !== null && value !== '') {
      filter[key] = value;
    }
  }

  const input: ListInput = { page, perPage, filter };
  if (params.sort?.field) {
    input.sortField = params.sort.field;
    input.sortOrder = params.sort.order === 'ASC' ? 'ASC' : 'DESC';
  }

  return input;
}

async function listRecords(resource: string, input: ListInput, options: CallOptions) {
  if (!isListResource(resource)) {
    throw new UnsupportedCallError('getList', resource, 'the API has no such resource.');
  }

  return listProcedures[resource](input, options);
}

async function getRecord(resource: string, id: Identifier, options: CallOptions) {
  if (!isGetResource(resource)) {
    throw new UnsupportedCallError('getOne', resource, 'the API has no get procedure for it.');
  }

  return getProcedures[resource](String(id), options);
}

/**
 * Fetches each id with its own `get` call (httpBatchLink sends them in one HTTP request). Ids
 * that no longer exist are left out, as react-admin expects.
 */
async function getManyRecords(resource: string, ids: Identifier[], options: CallOptions) {
  const results = await Promise.allSettled(ids.map((id) => getRecord(resource, id, options)));
  const records: RaRecord[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') {
      records.push(result.value);
    } else if (appCodeOf(result.reason) !== 'NOT_FOUND') {
      throw result.reason;
    }
  }

  return records;
}

async function listReferences(resource: string, params: GetManyReferenceParams) {
  const targets = isListResource(resource) ? (referenceTargets[resource] ?? []) : [];
  if (!targets.includes(params.target)) {
    throw new UnsupportedCallError(
      'getManyReference',
      resource,
      `"${params.target}" is not a filter the API supports for it.`,
    );
  }

  const input = toListInput({
    ...params,
    filter: { ...params.filter, [params.target]: String(params.id) },
  });

  return listRecords(resource, input, { signal: params.signal });
}

const kycStatuses = ['VERIFIED', 'REJECTED', 'PENDING'] as const;
type KycDecision = (typeof kycStatuses)[number];

function isKycDecision(value: unknown): value is KycDecision {
  return kycStatuses.includes(value as KycDecision);
}

/**
 * Maps an update onto the one write the admin API has: a user's KYC status. Any other change is
 * rejected rather than dropped, so a form never looks saved when it was not.
 */
async function updateRecord(resource: string, params: UpdateParams) {
  const { kycStatus, kycNote, ...rest } = params.data as Record<string, unknown>;
  const otherChanges = Object.keys(rest).filter((key) => rest[key] !== params.previousData?.[key]);
  if (resource !== 'users' || !isKycDecision(kycStatus) || otherChanges.length > 0) {
    throw new UnsupportedCallError(
      'update',
      resource,
      'only a user\'s kycStatus (VERIFIED, REJECTED or PENDING) can be changed.',
    );
  }

  await trpc.admin.users.setKyc.mutate({
    userId: String(params.id),
    status: kycStatus,
    note: typeof kycNote === 'string' && kycNote.trim() ? kycNote : undefined,
  });

  return trpc.admin.users.get.query({ id: String(params.id) });
}

function unsupported(method: string) {
  return (resource: string): Promise<never> =>
    Promise.reject(
      new UnsupportedCallError(
        method,
        resource,
        'the admin API changes records only through KYC, dispute, transfer review and fraud ' +
          'case decisions, debt write-offs and outbox event requeues.',
      ),
    );
}

/**
 * react-admin picks each method's record type at the call site, so the API's concrete record
 * types are handed over through this one unchecked conversion.
 */
function asResult<T>(value: unknown): T {
  return value as T;
}

/** The react-admin data provider over the `admin.*` tRPC procedures. */
export const dataProvider: DataProvider = {
  supportAbortSignal: true,

  getList: async (resource, params) => {
    const result = await listRecords(resource, toListInput(params), { signal: params.signal });

    return asResult(result);
  },

  getOne: async (resource, params) => {
    const record = await getRecord(resource, params.id, { signal: params.signal });

    return asResult({ data: record });
  },

  getMany: async (resource, params) => {
    const records = await getManyRecords(resource, params.ids, { signal: params.signal });

    return asResult({ data: records });
  },

  getManyReference: async (resource, params) => asResult(await listReferences(resource, params)),

  update: async (resource, params) => asResult({ data: await updateRecord(resource, params) }),

  updateMany: unsupported('updateMany'),
  create: unsupported('create'),
  delete: unsupported('delete'),
  deleteMany: unsupported('deleteMany'),
};
