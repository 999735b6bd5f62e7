// The compliance side of trader risk: fraud cases opened by the domain (e.g. after a refused
// transfer reversal) and the debts traders owe the platform. Staff read both in the console,
// decide fraud cases and write off debts that will not be recovered.
import type { FraudCaseState, DebtState, Prisma, Tx } from '@ts/db';

import { setKycStatusIn } from '../accounts/kyc.ts';
import { appendAudit } from '../audit/audit.ts';
import type { OperationOptions, Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { postJournal } from '../ledger/ledger.ts';
import { enumFilter, type ListRequest, paging, uuidFilter } from './list-request.ts';

const fraudCaseStates = ['OPEN', 'CLEARED', 'CONFIRMED'] as const satisfies FraudCaseState[];
const debtStates = ['OPEN', 'SETTLED', 'WRITTEN_OFF'] as const satisfies DebtState[];

/** Maximum number of audit entries a fraud case or debt page returns, newest first. */
const auditLimit = 100;

function direction(request: ListRequest): 'asc' | 'desc' {
  return request.sortOrder === 'ASC' ? 'asc' : 'desc';
}

const auditSelect = {
  id: true,
  at: true,
  action: true,
  entityType: true,
  entityId: true,
  actorId: true,
  actorRole: true,
  data: true,
} as const satisfies Prisma.AuditLogSelect;

async function readAudit(db: Tx, where: Prisma.AuditLogWhereInput) {
  const rows = await db.auditLog.findMany({
    where,
    select: auditSelect,
    orderBy: { id: 'desc' },
    take: auditLimit,
  });

  // BigInt ids become strings so the console can use them as React keys.
  return rows.map((row) => ({ ...row, id: row.id.toString() }));
}

// ---------------------------------------------------------------- debts

const debtSelect = {
  id: true,
  state: true,
  amountMinor: true,
  recoveredMinor: true,
  currency: true,
  reason: true,
  tradeId: true,
  payoutId: true,
  createdAt: true,
  settledAt: true,
  user: { select: { id: true, displayName: true } },
} as const satisfies Prisma.TraderDebtSelect;

type DebtRow = Prisma.TraderDebtGetPayload<{ select: typeof debtSelect }>;

/** Adds what is still owed, so the console does not do money arithmetic. */
function toDebtRecord<T extends DebtRow>(row: T) {
  return { ...row, outstandingMinor: row.amountMinor - row.recoveredMinor };
}

/**
 * Lists trader debts, newest first unless another sort is requested. Filters: `state`,
 * `userId` and `tradeId`.
 */
export async function listDebts(services: Services, request: ListRequest) {
  const where: Prisma.TraderDebtWhereInput = {
    state: enumFilter(request.filter.state, debtStates),
    userId: uuidFilter(request.filter.userId),
    tradeId: uuidFilter(request.filter.tradeId),
  };
  const sortable = ['createdAt', 'amountMinor', 'state'] as const;
  const field = sortable.find((name) => name === request.sortField) ?? 'createdAt';
  const [rows, total] = await Promise.all([
    services.prisma.traderDebt.findMany({
      where,
      select: debtSelect,
      orderBy: [{ [field]: direction(request) }, { id: 'asc' }],
      ...paging(request),
    }),
    services.prisma.traderDebt.count({ where }),
  ]);

  return { data: rows.map(toDebtRecord), total };
}

/** Returns one debt with the payout it came from and the audit entries that name it. */
export async function getDebt(db: Tx, debtId: string) {
  const row = await db.traderDebt.findUnique({
    where: { id: debtId },
    select: {
      ...debtSelect,
      payout: {
        select: {
          id: true,
          state: true,
          amountMinor: true,
          withheldMinor: true,
          providerReversalId: true,
          reversedAt: true,
        },
      },
    },
  });
  if (!row) {
    throw new DomainError('NOT_FOUND', 'Debt not found.', { debtId });
  }
  // Debt entries are audited on the trader, with the debt's id in their data.
  const audit = await readAudit(db, {
    entityType: 'User',
    entityId: row.user.id,
    data: { path: ['debtId'], equals: debtId },
  });

  return { ...toDebtRecord(row), audit };
}

/**
 * Writes off what is left of an open debt: the platform absorbs the loss. The trader's cash
 * account carries the debt as a negative balance, so the journal moves the outstanding amount
 * from the platform's fee account to the trader's cash account and the ledger stays balanced.
 */
export async function writeOffDebt(
  { services, actor, meta }: OperationOptions,
  input: { id: string; note: string },
) {
  await services.prisma.$transaction(async (tx) => {
    const found = await tx.traderDebt.findUnique({
      where: { id: input.id },
      select: { userId: true },
    });
    if (!found) {
      throw new DomainError('NOT_FOUND', 'Debt not found.', { debtId: input.id });
    }
    // payPayout locks a payout and then repays debts from it. Taking the trader's pending
    // payouts first makes a payout in flight finish before this write-off reads the debt, and
    // a later one see the debt written off.
    await tx.$queryRaw`
      SELECT id FROM "Payout"
      WHERE "userId" = ${found.userId}::uuid AND state = 'PENDING'
      ORDER BY id
      FOR UPDATE`;
    await tx.$queryRaw`SELECT id FROM "TraderDebt" WHERE id = ${input.id}::uuid FOR UPDATE`;
    const debt = await tx.traderDebt.findUniqueOrThrow({
      where: { id: input.id },
      select: { id: true, userId: true, tradeId: true, state: true, amountMinor: true, recoveredMinor: true },
    });
    if (debt.state !== 'OPEN') {
      throw new DomainError(
        'CONFLICT',
        debt.state === 'SETTLED'
          ? 'This debt is already repaid, so there is nothing to write off.'
          : 'This debt is already written off.',
        { debtId: debt.id, state: debt.state },
      );
    }

    const outstandingMinor = debt.amountMinor - debt.recoveredMinor;
    const journalId = await postJournal(tx, {
      kind: 'debt.written_off',
      tradeId: debt.tradeId ?? undefined,
      memo: `debt ${debt.id}`,
      lines: [
        { account: 'PLATFORM_FEES', userId: null, unit: 'USD', amountMinor: -outstandingMinor },
        { account: 'TRADER_CASH', userId: debt.userId, unit: 'USD', amountMinor: outstandingMinor },
      ],
    });
    await tx.traderDebt.update({ where: { id: debt.id }, data: { state: 'WRITTEN_OFF' } });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'debt.written_off',
      entityType: 'User',
      entityId: debt.userId,
      data: { debtId: debt.id, outstandingMinor, journalId, note: input.note },
      requestId: meta.requestId,
    });
  });

  return getDebt(services.prisma, input.id);
}

// ---------------------------------------------------------------- fraud cases

const fraudCaseSelect = {
  id: true,
  state: true,
  score: true,
  action: true,
  signals: true,
  createdAt: true,
  reviewedAt: true,
  user: { select: { id: true, displayName: true, kycStatus: true } },
  reviewedBy: { select: { id: true, displayName: true } },
} as const satisfies Prisma.FraudCaseSelect;

type FraudCaseRow = Prisma.FraudCaseGetPayload<{ select: typeof fraudCaseSelect }>;

/** One signal as the case stored it when it was opened: the inputs of its score. */
export interface ScoredSignal {
  kind: string;
  weight: number;
}

/** Reads the case's stored signal list, skipping entries that do not have a kind and weight. */
function scoredSignalsOf(value: Prisma.JsonValue): ScoredSignal[] {
  if (!Array.isArray(value)) {
    return [];
  }

  return value.flatMap((item) => {
    if (item && typeof item === 'object' && !Array.isArray(item) &&
      typeof item.kind === 'string' && typeof item.weight === 'number') {
      return [{ kind: item.kind, weight: item.weight }];
    }

    return [];
  });
}

function toFraudCaseRecord({ signals, ...row }: FraudCaseRow) {
  return { ...row, scoredSignals: scoredSignalsOf(signals) };
}

/**
 * Lists fraud cases. Without a sort, open cases come first (the states sort in their declared
 * order: open, cleared, confirmed) and newest first within a state. Filters: `state`, `userId`.
 */
export async function listFraudCases(services: Services, request: ListRequest) {
  const where: Prisma.FraudCaseWhereInput = {
    state: enumFilter(request.filter.state, fraudCaseStates),
    userId: uuidFilter(request.filter.userId),
  };
  const newestFirst = { createdAt: 'desc' } as const;
  let orderBy: Prisma.FraudCaseOrderByWithRelationInput[] = [{ state: 'asc' }, newestFirst];
  if (request.sortField === 'state') {
    orderBy = [{ state: direction(request) }, newestFirst];
  } else if (request.sortField === 'createdAt' || request.sortField === 'score') {
    orderBy = [{ [request.sortField]: direction(request) }];
  }
  const [rows, total] = await Promise.all([
    services.prisma.fraudCase.findMany({
      where,
      select: fraudCaseSelect,
      orderBy: [...orderBy, { id: 'asc' }],
      ...paging(request),
    }),
    services.prisma.fraudCase.count({ where }),
  ]);

  return { data: rows.map(toFraudCaseRecord), total };
}

/**
 * Returns one fraud case with what a reviewer needs: the trader's name and KYC status, all of
 * their fraud signals, their open debts, and the latest audit entries on the trader, their
 * payouts and this case. `decisionNote` is the note of the decision, once there is one.
 */
export async function getFraudCase(db: Tx, caseId: string) {
  const row = await db.fraudCase.findUnique({ where: { id: caseId }, select: fraudCaseSelect });
  if (!row) {
    throw new DomainError('NOT_FOUND', 'Fraud case not found.', { fraudCaseId: caseId });
  }
  const userId = row.user.id;
  const [signals, openDebts, payouts] = await Promise.all([
    db.fraudSignal.findMany({
      where: { userId },
      select: { id: true, kind: true, weight: true, data: true, createdAt: true },
      orderBy: { createdAt: 'desc' },
    }),
    db.traderDebt.findMany({
      where: { userId, state: 'OPEN' },
      select: debtSelect,
      orderBy: { createdAt: 'asc' },
    }),
    db.payout.findMany({ where: { userId }, select: { id: true } }),
  ]);
  const audit = await readAudit(db, {
    OR: [
      { entityType: 'User', entityId: userId },
      { entityType: 'FraudCase', entityId: caseId },
      { entityType: 'Payout', entityId: { in: payouts.map((payout) => payout.id) } },
    ],
  });
  const decision = audit.find((entry) =>
    entry.entityType === 'FraudCase' && entry.action === 'fraud_case.decided');
  const decisionData = decision?.data as { note?: unknown } | undefined;

  return {
    ...toFraudCaseRecord(row),
    decisionNote: typeof decisionData?.note === 'string' ? decisionData.note : null,
    signals,
    openDebts: openDebts.map(toDebtRecord),
    audit,
  };
}

export type FraudDecision = Extract<FraudCaseState, 'CLEARED' | 'CONFIRMED'>;

/**
 * Records a compliance decision on an open fraud case. CONFIRMED also rejects the trader's
 * KYC through the usual KYC decision (with its audit entry and notification). The trader can
 * then no longer list, propose or accept trades, and their pending payouts wait.
 * A case can be decided once; a second decision fails with CONFLICT.
 */
export async function decideFraudCase(
  options: OperationOptions,
  input: { id: string; decision: FraudDecision; note: string },
) {
  const { services, actor, meta } = options;
  await services.prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "FraudCase" WHERE id = ${input.id}::uuid FOR UPDATE`;
    const fraudCase = await tx.fraudCase.findUnique({
      where: { id: input.id },
      select: {
        id: true,
        state: true,
        score: true,
        user: { select: { id: true, role: true, kycStatus: true } },
      },
    });
    if (!fraudCase) {
      throw new DomainError('NOT_FOUND', 'Fraud case not found.', { fraudCaseId: input.id });
    }
    if (fraudCase.state !== 'OPEN') {
      throw new DomainError(
        'CONFLICT',
        `This fraud case is already ${fraudCase.state.toLowerCase()}. Reload it to see the decision.`,
        { fraudCaseId: fraudCase.id, state: fraudCase.state },
      );
    }

    const { user } = fraudCase;
    const rejectKyc = input.decision === 'CONFIRMED' && user.role === 'TRADER' &&
      user.kycStatus !== 'REJECTED';
    if (rejectKyc) {
      // In this transaction: the KYC rejection and the decision commit together or not at all.
      await setKycStatusIn(tx, options, { userId: user.id, status: 'REJECTED', note: input.note });
    }
    await tx.fraudCase.update({
      where: { id: fraudCase.id },
      data: { state: input.decision, reviewedById: actor.userId, reviewedAt: services.now() },
    });
    await appendAudit(tx, {
      actorId: actor.userId,
      actorRole: actor.role,
      action: 'fraud_case.decided',
      entityType: 'FraudCase',
      entityId: fraudCase.id,
      data: {
        userId: user.id,
        decision: input.decision,
        score: fraudCase.score,
        kycRejected: rejectKyc,
        note: input.note,
      },
      requestId: meta.requestId,
    });
  });

  return getFraudCase(services.prisma, input.id);
}
