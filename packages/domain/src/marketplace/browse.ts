import type { EventCategory, Prisma } from '@ts/db';

import type { Services } from '../context.ts';
import { DomainError } from '../errors.ts';
import { marketTicketSelect, type MarketTicket } from '../tickets/queries.ts';
import { recordEventView } from '../valuation/demand.ts';

export interface MarketQuery {
  eventId?: string;
  category?: EventCategory;
  city?: string;
  search?: string;
  dateFrom?: Date;
  dateTo?: Date;
  minValueMinor?: number;
  maxValueMinor?: number;
  /** Opaque cursor from the previous page. */
  cursor?: string;
  limit: number;
}

export interface MarketPage {
  items: MarketTicket[];
  nextCursor: string | null;
}

/**
 * Lists tickets on the marketplace, newest listing first. The cursor encodes the last row's
 * listing time and id, so a page stays stable while new tickets are listed.
 */
export async function browseMarketplace(
  services: Services,
  query: MarketQuery,
  viewerId?: string,
): Promise<MarketPage> {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  // Looking at one event's listings is platform demand, a valuation input; later pages of the
  // same look are not counted again.
  if (query.eventId && !after) await recordEventView(services, query.eventId, viewerId);
  const where: Prisma.TicketWhereInput = {
    state: 'LISTED',
    ...(viewerId ? { ownerId: { not: viewerId } } : {}),
    valueMinor: { gte: query.minValueMinor, lte: query.maxValueMinor },
    event: {
      id: query.eventId,
      category: query.category,
      startsAt: { gte: query.dateFrom ?? services.now(), lte: query.dateTo },
      ...(query.search ? { name: { contains: query.search, mode: 'insensitive' } } : {}),
      ...(query.city ? { venue: { city: { equals: query.city, mode: 'insensitive' } } } : {}),
    },
    ...(after
      ? {
          OR: [
            { listedAt: { lt: after.listedAt } },
            { listedAt: after.listedAt, id: { lt: after.id } },
          ],
        }
      : {}),
  };

  const rows = await services.prisma.ticket.findMany({
    where,
    select: marketTicketSelect,
    orderBy: [{ listedAt: 'desc' }, { id: 'desc' }],
    take: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  const last = items.at(-1);
  const nextCursor = rows.length > query.limit && last?.listedAt
    ? encodeCursor(last.listedAt, last.id)
    : null;

  return { items, nextCursor };
}

function encodeCursor(listedAt: Date, id: string): string {
  return Buffer.from(`${listedAt.toISOString()}|${id}`).toString('base64url');
}

function decodeCursor(cursor: string): { listedAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const listedAt = new Date(iso ?? '');
  const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (!id || !uuidPattern.test(id) || Number.isNaN(listedAt.getTime())) {
    throw new DomainError('INVALID_INPUT', 'The page cursor is invalid; start from the first page.');
  }

  return { listedAt, id };
}

/** Upcoming events for pickers, matched by name. */
export async function searchEvents(
  services: Services,
  query: { search?: string; limit: number },
) {
  return services.prisma.event.findMany({
    where: {
      startsAt: { gte: services.now() },
      ...(query.search ? { name: { contains: query.search, mode: 'insensitive' } } : {}),
    },
    select: {
      id: true,
      name: true,
      category: true,
      startsAt: true,
      venue: { select: { name: true, city: true, timezone: true } },
    },
    orderBy: { startsAt: 'asc' },
    take: query.limit,
  });
}
