// The console's list requests: react-admin's paging, sorting and filters, and the helpers that
// turn them into Prisma arguments. Shared by every admin router and query module.
import { z } from 'zod';

/** react-admin's list request, reduced to what these lists support. */
export interface ListRequest {
  page: number;
  perPage: number;
  sortField?: string;
  sortOrder?: 'ASC' | 'DESC';
  filter: Record<string, unknown>;
}

/** Input schema of every admin `list` procedure. */
export const listRequest = z.object({
  page: z.int().min(1).default(1),
  perPage: z.int().min(1).max(200).default(25),
  sortField: z.string().max(40).optional(),
  sortOrder: z.enum(['ASC', 'DESC']).optional(),
  filter: z.record(z.string(), z.unknown()).default({}),
});

/** Input schema of every admin `get` procedure. */
export const byId = z.object({ id: z.uuid('Use the record id shown in the console.') });

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Returns the filter value when it is one of `allowed`, else undefined (no filter). */
export function enumFilter<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}

/** Returns the filter value when it is a UUID, else undefined (no filter). */
export function uuidFilter(value: unknown): string | undefined {
  return typeof value === 'string' && uuidPattern.test(value) ? value : undefined;
}

/** Converts the request's page and page size into Prisma's skip and take. */
export function paging(request: ListRequest) {
  return { skip: (request.page - 1) * request.perPage, take: request.perPage };
}
