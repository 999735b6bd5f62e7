import { isIP } from 'node:net';

import nodemailer, { type NodemailerError, type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';

import { MailSendError, type MailMessage, type MailTransport } from './mailer.ts';

export interface SmtpConfig {
  host: string;
  port: number;
  /**
   * True for TLS from the first byte (`smtps:`). With `smtp:` the client upgrades with STARTTLS
   * when the server offers it.
   */
  secure: boolean;
  auth: { user: string; password: string } | null;
  /** The From header, `Name <address>` or a bare address. */
  from: string;
}

const smtpUrlExample = 'smtp://user:password@mail.example.com:587';

/** Returns the address of a `Name <address>` or bare address header, or null when it has none. */
function singleAddress(header: string): string | null {
  const parsed = addressparser(header, { flatten: true });
  const address = parsed.length === 1 ? parsed[0]?.address : undefined;

  return address && /^[^\s@]+@[^\s@]+$/.test(address) ? address : null;
}

/**
 * Reads the SMTP server from `SMTP_URL` (`smtp://` or `smtps://`, user name and password
 * percent-encoded in the URL) and the sender from `MAIL_FROM`. Returns null when SMTP_URL is
 * unset. Error messages never repeat the URL, because it contains the password.
 */
export function smtpConfigFromEnv(env: NodeJS.ProcessEnv): SmtpConfig | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) {
    return null;
  }

  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`SMTP_URL is not a valid URL; expected a URL such as ${smtpUrlExample}`);
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, got "${url.protocol}//"`);
  }
  // URL keeps the brackets of an IPv6 literal, which a socket connect does not accept.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) {
    throw new Error(`SMTP_URL has no host; expected a URL such as ${smtpUrlExample}`);
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (Boolean(user) !== Boolean(password)) {
    throw new Error('SMTP_URL must contain both a user name and a password, or neither');
  }

  const from = env.MAIL_FROM?.trim();
  if (!from) {
    throw new Error(
      'MAIL_FROM must be set when SMTP_URL is set, e.g. "Ticket Swap <no-reply@swap.example.com>"',
    );
  }
  if (!singleAddress(from)) {
    throw new Error(
      'MAIL_FROM must be one address such as "Ticket Swap <no-reply@swap.example.com>", '
        + `got "${from}"`,
    );
  }

  const secure = url.protocol === 'smtps:';
  // The IANA ports for implicit TLS submission (465) and for submission with STARTTLS (587).
  const defaultPort = secure ? 465 : 587;

  return {
    host,
    port: url.port ? Number(url.port) : defaultPort,
    secure,
    auth: user ? { user, password } : null,
    from,
  };
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') {
    return true;
  }
  if (isIP(host) === 4) {
    return host.startsWith('127.');
  }

  return host === '::1';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Cuts e-mail addresses out of a server reply: the recipient becomes `<recipient>` (matched
 * without regard to case, since servers may echo it changed) and any other address `<address>`.
 */
function redactAddresses(text: string, recipient: string): string {
  return text
    .replace(new RegExp(escapeRegExp(recipient), 'gi'), '<recipient>')
    .replace(/[^\s<>"'()[\],;:]+@[^\s<>"'()[\],;:]+/g, '<address>');
}

/**
 * Turns a nodemailer error into a MailSendError. Only a 5xx reply to the envelope (MAIL FROM,
 * RCPT TO) or to the message (DATA) is permanent, as is a local check of the envelope that
 * nodemailer makes before sending. nodemailer 10 counts 503 (bad sequence of commands) as
 * transient, and so does this. A 5xx in the greeting or at login is about the server or
 * the credentials, so it is retried: once an operator fixes those, the queued mail goes out.
 */
function toMailSendError(error: unknown, recipient: string, host: string): MailSendError {
  const failure = (error ?? {}) as NodemailerError;
  const detail = redactAddresses(
    error instanceof Error ? error.message : String(error),
    recipient,
  ).slice(0, 300);
  const aboutMessage = failure.code === 'EENVELOPE' || failure.code === 'EMESSAGE';
  const permanent = aboutMessage
    && (failure.responseCode === undefined || failure.permanent === true);
  const step = failure.command ? ` at ${failure.command}` : '';
  const message = `SMTP server ${host}${step}: ${detail}`;

  return new MailSendError(message, permanent, failure.responseCode);
}

export interface SmtpTransportOptions {
  /**
   * Milliseconds one send may take in all, connecting and login included, before it is
   * abandoned and retried later. The delivery job sends inside a 30-second database
   * transaction, so this stays well below that.
   */
  timeoutMs?: number;
}

/**
 * Sends plain-text e-mail through an SMTP server with nodemailer, one connection per message.
 * With credentials and a host off this machine, `smtp:` requires STARTTLS, so the password
 * never crosses the network in clear text. The nodemailer transporter, which contains the
 * password, is kept in a private field so that logging the transport cannot print it.
 */
export class SmtpTransport implements MailTransport {
  readonly name = 'smtp';
  readonly host: string;
  readonly port: number;
  readonly #transporter: Transporter;
  readonly #from: string;
  readonly #messageIdDomain: string;
  readonly #timeoutMs: number;

  constructor(config: SmtpConfig, options: SmtpTransportOptions = {}) {
    const sender = singleAddress(config.from);
    if (!sender) {
      throw new Error(`the sender "${config.from}" is not a single e-mail address`);
    }
    this.host = config.host;
    this.port = config.port;
    this.#from = config.from;
    this.#messageIdDomain = sender.slice(sender.lastIndexOf('@') + 1);
    this.#timeoutMs = options.timeoutMs ?? 20_000;
    // NOTE: the tests use a loopback server without TLS, so the smtps: and STARTTLS paths below
    // are left to nodemailer and have not been run against a server here.
    this.#transporter = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: !config.secure && config.auth !== null && !isLoopback(config.host),
      auth: config.auth ? { user: config.auth.user, pass: config.auth.password } : undefined,
      connectionTimeout: this.#timeoutMs,
      greetingTimeout: this.#timeoutMs,
      socketTimeout: this.#timeoutMs,
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    });
  }

  async send(message: MailMessage): Promise<void> {
    try {
      await this.#transporter.sendMail({
        from: this.#from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        // The notification id, so a receiver can drop a repeated delivery of the same message.
        messageId: `<${message.messageId}@${this.#messageIdDomain}>`,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw toMailSendError(error, message.to, this.host);
    }
  }
}
