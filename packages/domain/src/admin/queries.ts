import type { Prisma } from '@ts/db';

import type { Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { eventSummarySelect } from '../tickets/queries.ts';
import { enumFilter, type ListRequest, paging, uuidFilter } from './list-request.ts';


const roles = ['TRADER', 'COMPLIANCE', 'SUPPORT', 'ADMIN'] as const;
const kycStatuses = ['NONE', 'PENDING', 'VERIFIED', 'REJECTED'] as const;
const ticketStates = [
  'DRAFT', 'LISTED', 'IN_TRADE', 'ESCROWED', 'TRANSFERRED', 'WITHDRAWN', 'EXPIRED',
] as const;
const tradeStates = ['ESCROWED', 'COMPLETED', 'DISPUTED', 'TIMED_OUT', 'RETURNED', 'SPLIT'] as const;
const disputeStates = ['OPEN', 'UNDER_REVIEW', 'RESOLVED'] as const;

function orderOf<T extends string>(request: ListRequest, allowed: readonly T[], fallback: T) {
  const field = allowed.includes(request.sortField as T) ? (request.sortField as T) : fallback;

  return { [field]: request.sortOrder === 'ASC' ? 'asc' : 'desc' } as Record<T, 'asc' | 'desc'>;
}

const staffUserSelect = {
  id: true,
  email: true,
  displayName: true,
  role: true,
  kycStatus: true,
  kycReviewedAt: true,
  homeCity: true,
  createdAt: true,
} as const satisfies Prisma.UserSelect;

export async function listUsers(services: Services, request: ListRequest) {
  const where: Prisma.UserWhereInput = {
    role: enumFilter(request.filter.role, roles),
    kycStatus: enumFilter(request.filter.kycStatus, kycStatuses),
    ...(typeof request.filter.q === 'string' && request.filter.q
      ? {
          OR: [
            { email: { contains: request.filter.q, mode: 'insensitive' } },
            { displayName: { contains: request.filter.q, mode: 'insensitive' } },
          ],
        }
      : {}),
  };
  const [data, total] = await Promise.all([
    services.prisma.user.findMany({
      where,
      select: staffUserSelect,
      orderBy: orderOf(request, ['createdAt', 'email', 'kycStatus'] as const, 'createdAt'),
      ...paging(request),
    }),
    services.prisma.user.count({ where }),
  ]);

  return { data, total };
}

export async function getUser(services: Services, id: string) {
  const user = await services.prisma.user.findUnique({
    where: { id },
    select: {
      ...staffUserSelect,
      destinationCities: true,
      _count: { select: { tickets: true, devices: true, disputesOpened: true } },
    },
  });
  if (!user) {
    throw new DomainError('NOT_FOUND', 'User not found.', { userId: id });
  }

  return user;
}

const staffTicketSelect = {
  id: true,
  state: true,
  section: true,
  row: true,
  seat: true,
  valueMinor: true,
  valueConfidence: true,
  faceValueMinor: true,
  barcodeFormat: true,
  mimeType: true,
  intakeStatus: true,
  intakeError: true,
  createdAt: true,
  listedAt: true,
  owner: { select: { id: true, displayName: true } },
  event: { select: eventSummarySelect },
} as const satisfies Prisma.TicketSelect;

export async function listTickets(services: Services, request: ListRequest) {
  const where: Prisma.TicketWhereInput = {
    state: enumFilter(request.filter.state, ticketStates),
    ownerId: uuidFilter(request.filter.ownerId),
  };
  const [data, total] = await Promise.all([
    services.prisma.ticket.findMany({
      where,
      select: staffTicketSelect,
      orderBy: orderOf(request, ['createdAt', 'valueMinor', 'state'] as const, 'createdAt'),
      ...paging(request),
    }),
    services.prisma.ticket.count({ where }),
  ]);

  return { data, total };
}

export async function getTicket(services: Services, id: string) {
  const ticket = await services.prisma.ticket.findUnique({
    where: { id },
    select: {
      ...staffTicketSelect,
      valuations: {
        select: { id: true, method: true, modelVersion: true, valueMinor: true, confidence: true, createdAt: true },
        orderBy: { createdAt: 'desc' },
      },
    },
  });
  if (!ticket) {
    throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId: id });
  }

  return ticket;
}

const staffTradeSelect = {
  id: true,
  state: true,
  createdAt: true,
  completedAt: true,
  releaseDeadline: true,
  deposits: {
    select: {
      id: true,
      state: true,
      valueMinor: true,
      fromUser: { select: { id: true, displayName: true } },
      toUser: { select: { id: true, displayName: true } },
      ticket: { select: { id: true, section: true, row: true, seat: true, event: { select: { name: true } } } },
      transfer: { select: { id: true, state: true, sentAt: true, confirmedAt: true } },
    },
  },
} as const satisfies Prisma.TradeSelect;

export async function listTrades(services: Services, request: ListRequest) {
  const where: Prisma.TradeWhereInput = {
    state: enumFilter(request.filter.state, tradeStates),
  };
  const [data, total] = await Promise.all([
    services.prisma.trade.findMany({
      where,
      select: staffTradeSelect,
      orderBy: orderOf(request, ['createdAt', 'state'] as const, 'createdAt'),
      ...paging(request),
    }),
    services.prisma.trade.count({ where }),
  ]);

  return { data, total };
}

/** Returns one trade with its deposits and the payouts of its cash top-up, oldest first. */
export async function getTrade(services: Services, id: string) {
  const trade = await services.prisma.trade.findUnique({ where: { id }, select: staffTradeSelect });
  if (!trade) {
    throw new DomainError('NOT_FOUND', 'Trade not found.', { tradeId: id });
  }
  const payouts = await services.prisma.payout.findMany({
    where: { tradeId: id },
    select: {
      id: true,
      state: true,
      amountMinor: true,
      currency: true,
      availableAt: true,
      holdReason: true,
      withheldMinor: true,
      providerReversalId: true,
      reversedAt: true,
      createdAt: true,
      user: { select: { id: true, displayName: true } },
      // A debt here means the processor could not take back all of a paid payout.
      debts: { select: { id: true, state: true, amountMinor: true } },
    },
    orderBy: { createdAt: 'asc' },
  });

  return { ...trade, payouts };
}

export async function listAudit(services: Services, request: ListRequest) {
  const where: Prisma.AuditLogWhereInput = {
    entityType: typeof request.filter.entityType === 'string' ? request.filter.entityType : undefined,
    entityId: typeof request.filter.entityId === 'string' ? request.filter.entityId : undefined,
    actorId: uuidFilter(request.filter.actorId),
  };
  const [rows, total] = await Promise.all([
    services.prisma.auditLog.findMany({
      where,
      orderBy: { id: request.sortOrder === 'ASC' ? 'asc' : 'desc' },
      ...paging(request),
    }),
    services.prisma.auditLog.count({ where }),
  ]);
  // BigInt ids become strings so react-admin can use them as record ids.
  const data = rows.map((row) => ({ ...row, id: row.id.toString() }));

  return { data, total };
}

export async function listDisputes(services: Services, request: ListRequest) {
  const where: Prisma.DisputeWhereInput = {
    state: enumFilter(request.filter.state, disputeStates),
  };
  const [data, total] = await Promise.all([
    services.prisma.dispute.findMany({
      where,
      select: {
        id: true,
        state: true,
        reason: true,
        afterCompletion: true,
        outcome: true,
        createdAt: true,
        decidedAt: true,
        tradeId: true,
        openedBy: { select: { id: true, displayName: true } },
        decidedBy: { select: { id: true, displayName: true } },
        _count: { select: { evidence: true } },
      },
      orderBy: orderOf(request, ['createdAt', 'state'] as const, 'createdAt'),
      ...paging(request),
    }),
    services.prisma.dispute.count({ where }),
  ]);

  return { data, total };
}
