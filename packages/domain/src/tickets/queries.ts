import type { Prisma } from '@ts/db';

export const eventSummarySelect = {
  id: true,
  name: true,
  category: true,
  subcategory: true,
  startsAt: true,
  venue: { select: { id: true, name: true, city: true, state: true, timezone: true } },
} as const satisfies Prisma.EventSelect;

/** The fields of a ticket its owner and the marketplace may see; never the barcode hash. */
export const ticketSummarySelect = {
  id: true,
  ownerId: true,
  state: true,
  section: true,
  row: true,
  seat: true,
  sectionTier: true,
  faceValueMinor: true,
  currency: true,
  valueMinor: true,
  valueConfidence: true,
  barcodeFormat: true,
  mimeType: true,
  transferMethod: true,
  listedAt: true,
  createdAt: true,
  event: { select: eventSummarySelect },
} as const satisfies Prisma.TicketSelect;

export type TicketSummary = Prisma.TicketGetPayload<{ select: typeof ticketSummarySelect }>;

/** What anyone browsing the marketplace sees of a listed ticket: no owner id or file details. */
export const marketTicketSelect = {
  id: true,
  state: true,
  section: true,
  row: true,
  seat: true,
  sectionTier: true,
  faceValueMinor: true,
  currency: true,
  valueMinor: true,
  valueConfidence: true,
  listedAt: true,
  event: { select: eventSummarySelect },
} as const satisfies Prisma.TicketSelect;

export type MarketTicket = Prisma.TicketGetPayload<{ select: typeof marketTicketSelect }>;
