import { pino, type Logger } from 'pino';

/** Paths whose values never reach a log line: credentials, tokens and personal data. */
export const redactedPaths = [
  'password',
  '*.password',
  'passwordHash',
  '*.passwordHash',
  'token',
  '*.token',
  'email',
  '*.email',
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'barcode',
  '*.barcode',
  'barcodeText',
  '*.barcodeText',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' } });
}
