import type { DemoSummary } from '@ts/db/seed';
import type { Services } from '@ts/domain';
import { processTicketIntake, uploadTicket } from '@ts/domain';
import { listTicket } from '@ts/domain/tickets/listing';
import { confirmTicketReview } from '@ts/domain/tickets/processing-review';
import { makeTicketPdf } from '@ts/domain/tickets/barcode/ticket-files';

interface DemoTicket {
  userId: string;
  eventId: string;
  eventName: string;
  startsAt: Date;
  city: string;
  section: string;
  row: string;
  seat: string;
  faceValueMinor: number;
}

/**
 * Gives alice a concert ticket and bob a ticket for his game, made as real e-ticket PDFs and
 * uploaded, read and confirmed through the same path a trader uses, then lists both. Skips traders who already
 * hold tickets, so a restart adds nothing.
 */
export async function seedDemoTickets(services: Services, demo: DemoSummary): Promise<number> {
  const [bobsGame] = demo.games;
  if (!bobsGame) {
    return 0;
  }
  const planned: DemoTicket[] = [
    {
      userId: demo.userIds.alice,
      eventId: demo.concert.id,
      eventName: demo.concert.name,
      startsAt: demo.concert.startsAt,
      city: demo.concert.city,
      section: 'Section 316',
      row: '15',
      seat: '7',
      faceValueMinor: 19_500,
    },
    {
      userId: demo.userIds.bob,
      eventId: bobsGame.id,
      eventName: bobsGame.name,
      startsAt: bobsGame.startsAt,
      city: bobsGame.city,
      // An upper-tier seat, so its value lands within the 50 % a cash top-up can bridge.
      section: 'Section 330',
      row: '22',
      seat: '4',
      faceValueMinor: 15_000,
    },
  ];

  let created = 0;
  for (const ticket of planned) {
    const held = await services.prisma.ticket.count({ where: { ownerId: ticket.userId } });
    if (held > 0) {
      continue;
    }
    const user = await services.prisma.user.findUniqueOrThrow({
      where: { id: ticket.userId },
      select: { role: true, kycStatus: true },
    });
    const options = {
      services,
      actor: { userId: ticket.userId, role: user.role, kycStatus: user.kycStatus, sessionId: 'seed' },
      meta: { requestId: 'seed-demo-tickets', ipAddress: '127.0.0.1' },
    };
    const pdf = await makeTicketPdf({
      barcodeText: `DEMO-${ticket.userId.slice(0, 8)}-${ticket.eventId.slice(0, 8)}`,
      format: 'pdf417',
      eventName: ticket.eventName,
      venue: ticket.city,
      startsAt: ticket.startsAt,
      section: ticket.section,
      row: ticket.row,
      seat: ticket.seat,
      faceValue: ticket.faceValueMinor,
      currency: 'USD',
    });
    const result = await uploadTicket(options, { bytes: pdf, fileName: 'demo-ticket.pdf' }, ticket);
    // Read here rather than by the worker, so the ticket can be listed right away. OCR is
    // skipped because the seed already knows every detail.
    await processTicketIntake(services, result.ticket.id, { ocrEngine: null });
    await confirmTicketReview(options, result.ticket.id, ticket);
    await listTicket(options, result.ticket.id);
    created += 1;
  }

  return created;
}
