import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { PDFDocument, PageSizes } from 'pdf-lib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { makeTicketPhoto } from '../barcode/ticket-files.ts';
import { createLocalOcrEngine, createTextractOcrEngine, readTicketText } from './index.ts';

// The SDK talks to a loopback address that msw intercepts; nothing leaves the machine.
const ENDPOINT = 'http://127.0.0.1:9';
const CREDENTIALS = { accessKeyId: 'AKIDTESTONLY', secretAccessKey: 'test-secret-not-real' };
const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
const FAST_POLLING = { initialDelayMs: 5, maxDelayMs: 10, timeoutMs: 5000 };

interface PrintedLine {
  text: string;
  top: number;
  left?: number;
  page?: number;
}

let blockCounter = 0;

/** Builds LINE and WORD blocks in the shape Textract documents, words spaced evenly. */
function textractBlocks(lines: PrintedLine[], withPage: boolean) {
  const blocks: object[] = [];
  for (const line of lines) {
    const words = line.text.split(' ');
    const left = line.left ?? 0.1;
    const wordWidth = 0.6 / Math.max(8, words.length);
    const wordIds = words.map(() => `word-${++blockCounter}`);
    const geometry = (x: number, width: number) => ({
      BoundingBox: { Width: width, Height: 0.015, Left: x, Top: line.top },
      Polygon: [
        { X: x, Y: line.top }, { X: x + width, Y: line.top },
        { X: x + width, Y: line.top + 0.015 }, { X: x, Y: line.top + 0.015 },
      ],
    });
    blocks.push({
      BlockType: 'LINE',
      Id: `line-${++blockCounter}`,
      Confidence: 99.1,
      Text: line.text,
      Geometry: geometry(left, wordWidth * words.length),
      Relationships: [{ Type: 'CHILD', Ids: wordIds }],
      ...(withPage ? { Page: line.page ?? 1 } : {}),
    });
    words.forEach((word, index) => {
      blocks.push({
        BlockType: 'WORD',
        Id: wordIds[index],
        Confidence: 98.4,
        Text: word,
        TextType: 'PRINTED',
        Geometry: geometry(left + index * wordWidth, wordWidth * 0.9),
        ...(withPage ? { Page: line.page ?? 1 } : {}),
      });
    });
  }

  return blocks;
}

const TICKET_LINES: PrintedLine[] = [
  { text: 'Harbour City FC vs Rivertown United', top: 0.1 },
  { text: 'Sat, 7 February 2026 at 15:00 GMT', top: 0.14 },
  { text: 'Harbour Park Stadium, Liverpool', top: 0.17 },
  { text: 'Section: North Stand 114', top: 0.22 },
  { text: 'Row: 12', top: 0.25 },
  { text: 'Seat(s): 27', top: 0.28 },
  { text: 'Face value: GBP 89.50', top: 0.31 },
];

function jsonResponse(body: object, status = 200) {
  return HttpResponse.json(body, {
    status,
    headers: { 'content-type': 'application/x-amz-json-1.1' },
  });
}

function textractError(type: string, status: number) {
  return jsonResponse({ __type: type, message: `${type} from the test server` }, status);
}

interface RecordedCall {
  target: string;
  body: Record<string, unknown>;
}

const calls: RecordedCall[] = [];
const server = setupServer();

/** Responds to each Textract operation with the next response queued for it. */
function answer(responses: Record<string, Array<() => Response>>) {
  server.use(http.post(`${ENDPOINT}/`, async ({ request }) => {
    const target = (request.headers.get('x-amz-target') ?? '').replace('Textract.', '');
    const body = await request.json() as Record<string, unknown>;
    calls.push({ target, body });
    const next = responses[target]?.shift();

    return next ? next() : textractError('InvalidParameterException', 400);
  }));
}

async function ticketScreenshot(): Promise<Uint8Array> {
  return makeTicketPhoto({
    barcodeText: 'TSW-TEXTRACT-1',
    format: 'qrcode',
    eventName: 'Harbour City FC vs Rivertown United',
    venue: 'Harbour Park Stadium, Liverpool',
    startsAt: new Date('2026-02-07T15:00:00Z'),
    timeZone: 'Europe/London',
    section: 'North Stand 114',
    row: '12',
    seat: '27',
    faceValue: 8950,
    currency: 'GBP',
    layout: 'stacked',
    output: 'png',
  });
}

// Two pages with no text layer, like a scan, so that the PDF goes to OCR as a whole.
async function twoPageScan(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  for (let page = 0; page < 2; page++) {
    document.addPage(PageSizes.A4).drawRectangle({ x: 40, y: 40, width: 100, height: 60 });
  }

  return document.save();
}

const local = createLocalOcrEngine();

beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  calls.length = 0;
});
afterAll(async () => {
  server.close();
  await local.close();
});

describe('Textract OCR engine', () => {
  function engine(extra: Partial<Parameters<typeof createTextractOcrEngine>[0]> = {}) {
    return createTextractOcrEngine({
      region: 'eu-west-1',
      endpoint: ENDPOINT,
      credentials: CREDENTIALS,
      fallback: local,
      retry: FAST_RETRY,
      polling: FAST_POLLING,
      ...extra,
    });
  }

  it('reads an image with DetectDocumentText', async () => {
    answer({
      DetectDocumentText: [() => jsonResponse({
        DocumentMetadata: { Pages: 1 },
        Blocks: [{ BlockType: 'PAGE', Id: 'page-1', Confidence: 99.5 },
          ...textractBlocks(TICKET_LINES, false)],
        DetectDocumentTextModelVersion: '1.0',
      })],
    });

    const result = await readTicketText(await ticketScreenshot(), 'image/png', {
      engine: engine(),
    });

    expect(result.provider).toBe('textract');
    expect(calls.map((call) => call.target)).toEqual(['DetectDocumentText']);
    const sent = Buffer.from(String((calls[0]!.body.Document as { Bytes: string }).Bytes),
      'base64');
    expect(sent.subarray(1, 4).toString()).toBe('PNG');
    expect(result.fields.eventName?.value).toBe('Harbour City FC vs Rivertown United');
    expect(result.fields.startsAt?.value).toBe('2026-02-07T15:00:00.000Z');
    expect(result.fields.section?.value).toBe('North Stand 114');
    expect(result.fields.row?.value).toBe('12');
    expect(result.fields.seat?.value).toBe('27');
    expect(result.fields.faceValueMinor?.value).toBe(8950);
    expect(result.fields.currency?.value).toBe('GBP');
    expect(result.fields.row?.confidence).toBeGreaterThan(0.9);
  });

  it('retries a throttled call and then succeeds', async () => {
    answer({
      DetectDocumentText: [
        () => textractError('ProvisionedThroughputExceededException', 400),
        () => textractError('ThrottlingException', 400),
        () => jsonResponse({ DocumentMetadata: { Pages: 1 },
          Blocks: textractBlocks(TICKET_LINES, false) }),
      ],
    });

    const result = await readTicketText(await ticketScreenshot(), 'image/png', {
      engine: engine(),
    });

    expect(calls.filter((call) => call.target === 'DetectDocumentText')).toHaveLength(3);
    expect(result.provider).toBe('textract');
    expect(result.fields.seat?.value).toBe('27');
  });

  it('falls back to the local engine on a server error', async () => {
    answer({ DetectDocumentText: [() => textractError('InternalServerError', 500)] });

    const result = await readTicketText(await ticketScreenshot(), 'image/png', {
      engine: engine(),
    });

    expect(calls).toHaveLength(1);
    expect(result.provider).toBe('tesseract');
    expect(result.fields.section?.value).toBe('North Stand 114');
    expect(result.fields.faceValueMinor?.value).toBe(8950);
  });

  it('falls back when throttling outlasts the retries', async () => {
    const throttled = () => textractError('ThrottlingException', 400);
    answer({ DetectDocumentText: [throttled, throttled, throttled, throttled] });

    const result = await readTicketText(await ticketScreenshot(), 'image/png', {
      engine: engine(),
    });

    expect(calls).toHaveLength(FAST_RETRY.maxAttempts);
    expect(result.provider).toBe('tesseract');
    expect(result.fields.row?.value).toBe('12');
  });

  it('reads a multi-page PDF with an asynchronous job', async () => {
    const uploads: Uint8Array[] = [];
    const pageOne = TICKET_LINES.slice(0, 3).map((line) => ({ ...line, page: 1 }));
    const pageTwo = TICKET_LINES.slice(3).map((line) => ({ ...line, page: 2 }));
    answer({
      StartDocumentTextDetection: [() => jsonResponse({ JobId: 'job-42' })],
      GetDocumentTextDetection: [
        () => jsonResponse({ JobStatus: 'IN_PROGRESS' }),
        () => jsonResponse({ JobStatus: 'IN_PROGRESS' }),
        () => jsonResponse({ JobStatus: 'SUCCEEDED', DocumentMetadata: { Pages: 2 },
          Blocks: textractBlocks(pageOne, true), NextToken: 'token-2' }),
        () => jsonResponse({ JobStatus: 'SUCCEEDED', DocumentMetadata: { Pages: 2 },
          Blocks: textractBlocks(pageTwo, true) }),
      ],
    });
    const pdf = await twoPageScan();

    const result = await readTicketText(pdf, 'application/pdf', {
      engine: engine({
        uploadDocument: async (bytes) => {
          uploads.push(bytes);

          return { bucket: 'ticket-intake-test', key: 'scans/job-42.pdf' };
        },
      }),
    });

    expect(uploads).toHaveLength(1);
    expect(uploads[0]!.length).toBe(pdf.length);
    expect(calls.map((call) => call.target)).toEqual(['StartDocumentTextDetection',
      'GetDocumentTextDetection', 'GetDocumentTextDetection', 'GetDocumentTextDetection',
      'GetDocumentTextDetection']);
    expect(calls[0]!.body.DocumentLocation).toEqual({
      S3Object: { Bucket: 'ticket-intake-test', Name: 'scans/job-42.pdf' },
    });
    expect(calls[4]!.body).toMatchObject({ JobId: 'job-42', NextToken: 'token-2' });
    expect(result.provider).toBe('textract');
    expect(result.fields.eventName?.value).toBe('Harbour City FC vs Rivertown United');
    expect(result.fields.seat?.value).toBe('27');
    expect(result.fields.faceValueMinor?.value).toBe(8950);
  });

  it('falls back when the asynchronous job fails', async () => {
    answer({
      StartDocumentTextDetection: [() => jsonResponse({ JobId: 'job-43' })],
      GetDocumentTextDetection: [() => jsonResponse({ JobStatus: 'FAILED',
        StatusMessage: 'Unable to read the document' })],
    });

    const result = await readTicketText(await twoPageScan(), 'application/pdf', {
      engine: engine({ uploadDocument: async () => ({ bucket: 'b', key: 'k.pdf' }) }),
    });

    expect(calls.map((call) => call.target)).toEqual(['StartDocumentTextDetection',
      'GetDocumentTextDetection']);
    expect(result.provider).toBe('tesseract');
  });
});
