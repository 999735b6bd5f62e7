import { afterAll, describe, expect, it, vi } from 'vitest';

import { DomainError } from '../../errors.ts';
import {
  makeTicketPdf,
  makeTicketPhoto,
  type TicketFileOptions,
} from '../barcode/ticket-files.ts';
import { createLocalOcrEngine, readTicketText, type OcrResult } from './index.ts';

const TICKET: TicketFileOptions = {
  barcodeText: 'TSW-OCR-000184',
  format: 'qrcode',
  eventName: 'Northern Lights Orchestra: Winter Gala',
  venue: 'Concertgebouw, Amsterdam',
  startsAt: new Date('2025-12-12T19:30:00Z'),
  timeZone: 'Europe/Amsterdam',
  section: 'Balcony B',
  row: '12',
  seat: '27',
  faceValue: 8950,
  currency: 'EUR',
};

const engine = createLocalOcrEngine();
afterAll(() => engine.close());

function expectPrintedValues(result: OcrResult, ticket: TicketFileOptions) {
  const compact = (value: unknown) => String(value).replace(/\s/g, '').toLowerCase();
  expect(result.fields.eventName?.value).toBe(ticket.eventName);
  expect(result.fields.venue?.value).toBe(ticket.venue);
  expect(result.fields.startsAt?.value).toBe(ticket.startsAt.toISOString());
  // OCR sometimes drops the space in "Balcony B"; the letters must all be there.
  expect(compact(result.fields.section?.value)).toBe(compact(ticket.section));
  expect(result.fields.row?.value).toBe(ticket.row);
  expect(result.fields.seat?.value).toBe(ticket.seat);
  expect(result.fields.faceValueMinor?.value).toBe(ticket.faceValue);
  expect(result.fields.currency?.value).toBe(ticket.currency);
  for (const [field, reading] of Object.entries(result.fields)) {
    expect(reading.confidence, field).toBeGreaterThan(0.3);
    expect(reading.confidence, field).toBeLessThanOrEqual(1);
  }
}

describe('readTicketText', () => {
  it.each([
    ['boxes', 'helvetica', 'en-GB'],
    ['stacked', 'times', 'en-US'],
    ['inline', 'courier', 'iso'],
    ['table', 'helvetica', 'en-US'],
  ] as const)('reads a %s PDF in %s with %s dates from its text layer', async (layout, font,
    dateStyle) => {
    const ticket = { ...TICKET, layout, font, dateStyle };

    const result = await readTicketText(await makeTicketPdf(ticket), 'application/pdf',
      { engine });

    expect(result.provider).toBe('pdf-text');
    expectPrintedValues(result, ticket);
    expect(result.text).toContain('Concertgebouw');
  });

  it('reads a tilted noisy photo offline with tesseract', async () => {
    // The worker reads the model from the package folder; a fetch would mean a download.
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const ticket = { ...TICKET, layout: 'boxes' as const, currency: 'USD', faceValue: 12_050 };
    const photo = await makeTicketPhoto({ ...ticket, angleDegrees: -4, noise: 6, shading: 0.2,
      seed: 3 });

    const result = await readTicketText(photo, 'image/jpeg', { engine });

    expect(result.provider).toBe('tesseract');
    expectPrintedValues(result, ticket);
    expect(fetchSpy).not.toHaveBeenCalled();
    fetchSpy.mockRestore();
  }, 60_000);

  it('reads a sideways photo by trying quarter turns', async () => {
    const ticket = { ...TICKET, layout: 'stacked' as const, currency: 'GBP' };
    const photo = await makeTicketPhoto({ ...ticket, angleDegrees: 90, noise: 4, seed: 5 });

    const result = await readTicketText(photo, 'image/jpeg', { engine });

    expectPrintedValues(result, ticket);
  }, 90_000);

  it('rejects content that is not a PDF or image', async () => {
    const bytes = new TextEncoder().encode('just some text, not a ticket');

    await expect(readTicketText(bytes, 'application/pdf', { engine })).rejects
      .toMatchObject({ code: 'UNSUPPORTED_FILE_TYPE' } satisfies Partial<DomainError>);
  });
});
