import type { EventCategory } from '@ts/db';

import type { OperationOptions } from '../context.ts';
import { DomainError } from '../errors.ts';

export interface WantInput {
  eventId?: string;
  category?: EventCategory;
  city?: string;
  dateFrom?: Date;
  dateTo?: Date;
}

const wantSelect = {
  id: true,
  category: true,
  city: true,
  dateFrom: true,
  dateTo: true,
  createdAt: true,
  event: { select: { id: true, name: true, startsAt: true } },
} as const;

/** Records what a trader would take in a swap; at least one field must narrow it down. */
export async function addWant({ services, actor }: OperationOptions, input: WantInput) {
  if (!input.eventId && !input.category && !input.city) {
    throw new DomainError('INVALID_INPUT', 'Name an event, a category or a city you want.');
  }
  if (input.dateFrom && input.dateTo && input.dateFrom > input.dateTo) {
    throw new DomainError('INVALID_INPUT', 'The start date must come before the end date.');
  }
  if (input.eventId) {
    const event = await services.prisma.event.findUnique({ where: { id: input.eventId }, select: { id: true } });
    if (!event) {
      throw new DomainError('NOT_FOUND', 'That event is not in the catalogue.');
    }
  }

  return services.prisma.want.create({
    data: {
      userId: actor.userId,
      eventId: input.eventId ?? null,
      category: input.category ?? null,
      city: input.city?.trim() || null,
      dateFrom: input.dateFrom ?? null,
      dateTo: input.dateTo ?? null,
    },
    select: wantSelect,
  });
}

export async function listWants({ services, actor }: OperationOptions) {
  return services.prisma.want.findMany({
    where: { userId: actor.userId },
    select: wantSelect,
    orderBy: { createdAt: 'desc' },
  });
}

export async function removeWant({ services, actor }: OperationOptions, wantId: string) {
  const removed = await services.prisma.want.deleteMany({ where: { id: wantId, userId: actor.userId } });
  if (removed.count === 0) {
    throw new DomainError('NOT_FOUND', 'Want not found.');
  }
}

export async function updateLocation(
  { services, actor }: OperationOptions,
  input: { homeCity: string | null; destinationCities: string[] },
) {
  return services.prisma.user.update({
    where: { id: actor.userId },
    data: {
      homeCity: input.homeCity?.trim() || null,
      destinationCities: input.destinationCities.map((c) => c.trim()).filter(Boolean),
    },
    select: { homeCity: true, destinationCities: true },
  });
}
