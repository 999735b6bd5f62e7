import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface MailMessage {
  /** Unique per notification, so a receiver can drop a duplicate delivery. */
  messageId: string;
  to: string;
  subject: string;
  text: string;
}

/**
 * Sends e-mail: DevMailbox writes files for a developer, SmtpTransport (smtp.ts) hands messages
 * to a mail server. `send` resolves once the message is accepted. A `MailSendError` with
 * `permanent` set marks the notification FAILED at once, and any other error is retried.
 */
export interface MailTransport {
  readonly name: string;
  send(message: MailMessage): Promise<void>;
}

/**
 * A send the transport could not complete. `permanent` means the mail server refused this
 * message for good (an SMTP 5xx reply), so another try would receive the same reply. The message
 * names the recipient as `<recipient>` only.
 */
export class MailSendError extends Error {
  override readonly name = 'MailSendError';

  constructor(
    message: string,
    readonly permanent: boolean,
    /** The SMTP reply code, when the server sent one. */
    readonly responseCode?: number,
  ) {
    super(message);
  }
}

export const mailFrom = 'Ticket Swap <no-reply@ticketswap.invalid>';

/** Encodes a header value as RFC 2047 UTF-8 base64 when it is not plain ASCII. */
function headerValue(value: string): string {
  return /^[\x20-\x7e]*$/.test(value)
    ? value
    : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

/** Formats a plain-text message as an RFC 5322 .eml file with CRLF line endings. */
export function formatEml(message: MailMessage, date: Date): string {
  const headers = [
    `From: ${mailFrom}`,
    `To: ${message.to}`,
    `Subject: ${headerValue(message.subject)}`,
    `Date: ${date.toUTCString()}`,
    `Message-ID: <${message.messageId}@ticketswap.invalid>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];

  return `${headers.join('\r\n')}\r\n\r\n${message.text.replace(/\r?\n/g, '\r\n')}\r\n`;
}

/** Writes each message as an .eml file into a folder a developer can open in a mail client. */
export class DevMailbox implements MailTransport {
  readonly name = 'dev-mailbox';

  constructor(readonly folder: string, private readonly now: () => Date = () => new Date()) {}

  async send(message: MailMessage): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const date = this.now();
    const stamp = date.toISOString().replace(/[:.]/g, '-');
    const file = path.join(this.folder, `${stamp}-${message.messageId}.eml`);
    await writeFile(file, formatEml(message, date), { flag: 'w' });
  }
}
