import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { simpleParser, type AddressObject } from 'mailparser';
import { pino, type Logger } from 'pino';
import { SMTPServer, type SMTPServerError } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createHarness, type Harness } from '../testing/harness.ts';
import { deliverPendingEmails, type DeliveryPolicy } from './delivery.ts';
import { SmtpTransport, smtpConfigFromEnv, type SmtpConfig } from './smtp.ts';

const smtpUser = 'mailer';
// Characters that must be percent-encoded in SMTP_URL, so the test covers the decoding.
const smtpPassword = 'p@ss:word/1';
const sender = 'Ticket Swap <no-reply@swap.example.test>';
const policy: DeliveryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  batchSize: 10,
};

interface ReceivedMessage {
  login: string | undefined;
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: Buffer;
}

/** A reply the test server gives instead of accepting, like `550 5.1.1 mailbox unknown`. */
interface SmtpRejection {
  code: number;
  text: string;
}

function smtpRejection({ code, text }: SmtpRejection): SMTPServerError {
  return Object.assign(new Error(text), { responseCode: code });
}

let h: Harness;
let server: SMTPServer;
let port: number;
const received: ReceivedMessage[] = [];
let rcptAttempts = 0;
let rcptRejection: SmtpRejection | null = null;
let dataRejection: SmtpRejection | null = null;

beforeAll(async () => {
  h = await createHarness();
  server = new SMTPServer({
    secure: false,
    // The client would upgrade to TLS and reject the server's built-in self-signed certificate.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === smtpUser && auth.password === smtpPassword) {
        callback(null, { user: auth.username });
      } else {
        callback(smtpRejection({ code: 535, text: 'Authentication credentials invalid' }));
      }
    },
    onRcptTo(address, _session, callback) {
      rcptAttempts += 1;
      // Servers often quote the address, sometimes in another case.
      const quoted = `<${address.address.toUpperCase()}>`;
      const error = rcptRejection
        ? smtpRejection({ ...rcptRejection, text: `${rcptRejection.text} ${quoted}` })
        : null;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (dataRejection) {
          callback(smtpRejection(dataRejection));

          return;
        }
        received.push({
          login: session.user as string | undefined,
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  port = (server.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await h.close();
});

beforeEach(async () => {
  h.setNow(new Date());
  received.length = 0;
  rcptAttempts = 0;
  rcptRejection = null;
  dataRejection = null;
  // Earlier tests may leave e-mail rows pending, so they are marked sent and each test delivers
  // only its own.
  await h.db.prisma.notification.updateMany({
    where: { channel: 'EMAIL', state: 'PENDING' },
    data: { state: 'SENT' },
  });
});

function smtpConfig(overrides: Partial<SmtpConfig> = {}): SmtpConfig {
  return {
    host: '127.0.0.1',
    port,
    secure: false,
    auth: { user: smtpUser, password: smtpPassword },
    from: sender,
    ...overrides,
  };
}

/** Creates a pino logger that writes its JSON lines into an array the test reads. */
function capturedLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  }));

  return { logger, lines };
}

async function pendingEmail(input: { title?: string; body?: string; link?: string } = {}) {
  const user = await h.createUser({});
  const { email } = await h.db.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
  const notification = await h.db.prisma.notification.create({
    data: {
      userId: user.userId,
      kind: 'trade.confirmed',
      channel: 'EMAIL',
      title: input.title ?? 'Trade confirmed',
      body: input.body ?? 'Both traders accepted the swap.',
      data: input.link ? { link: input.link } : undefined,
    },
    select: { id: true },
  });

  return { userId: user.userId, email, notificationId: notification.id };
}

async function rowOf(notificationId: string) {
  return h.db.prisma.notification.findUniqueOrThrow({ where: { id: notificationId } });
}

function firstAddress(field: AddressObject | AddressObject[] | undefined) {
  const object = Array.isArray(field) ? field[0] : field;

  return object?.value[0];
}

describe('smtpConfigFromEnv', () => {
  it('returns null without SMTP_URL', () => {
    expect(smtpConfigFromEnv({ MAIL_FROM: sender })).toBeNull();
    expect(smtpConfigFromEnv({ SMTP_URL: ' ', MAIL_FROM: sender })).toBeNull();
  });

  it('decodes credentials and picks default ports', () => {
    const withLogin = smtpConfigFromEnv({
      SMTP_URL: `smtp://${smtpUser}:${encodeURIComponent(smtpPassword)}@mail.example.test:2525`,
      MAIL_FROM: sender,
    });
    const implicitTls = smtpConfigFromEnv({
      SMTP_URL: 'smtps://mail.example.test',
      MAIL_FROM: 'no-reply@swap.example.test',
    });
    const submission = smtpConfigFromEnv({
      SMTP_URL: 'smtp://mail.example.test',
      MAIL_FROM: sender,
    });

    expect(withLogin).toEqual({
      host: 'mail.example.test',
      port: 2525,
      secure: false,
      auth: { user: smtpUser, password: smtpPassword },
      from: sender,
    });
    expect(implicitTls).toMatchObject({ port: 465, secure: true, auth: null });
    expect(submission).toMatchObject({ port: 587, secure: false, auth: null });
  });

  it('rejects bad settings without echoing the password', () => {
    const secret = 'hunter2-secret';
    const url = `smtp://u:${secret}@mail.example.test`;
    const cases: Array<{ env: NodeJS.ProcessEnv; error: RegExp }> = [
      {
        env: { SMTP_URL: `http://u:${secret}@mail.example.test`, MAIL_FROM: sender },
        error: /smtp:\/\/ or smtps:\/\//,
      },
      {
        env: { SMTP_URL: `mail.example.test:${secret}`, MAIL_FROM: sender },
        error: /not a valid URL|smtp:\/\//,
      },
      {
        env: { SMTP_URL: 'smtp://mailer@mail.example.test', MAIL_FROM: sender },
        error: /both a user name and a password/,
      },
      { env: { SMTP_URL: url }, error: /MAIL_FROM must be set/ },
      { env: { SMTP_URL: url, MAIL_FROM: 'Ticket Swap' }, error: /MAIL_FROM must be one address/ },
      {
        env: { SMTP_URL: url, MAIL_FROM: 'a@x.test, b@x.test' },
        error: /MAIL_FROM must be one address/,
      },
    ];

    for (const { env, error } of cases) {
      let thrown: unknown;
      try {
        smtpConfigFromEnv(env);
      } catch (err) {
        thrown = err;
      }
      expect(thrown, JSON.stringify(env)).toBeInstanceOf(Error);
      expect((thrown as Error).message).toMatch(error);
      expect((thrown as Error).message).not.toContain(secret);
    }
  });
});

describe('SMTP e-mail delivery', () => {
  it('sends the notification with login, sender and headers', async () => {
    const { email, notificationId } = await pendingEmail({
      title: 'Trade confirmed — Café Nights',
      body: 'Both traders accepted the swap.\nSend your ticket within 24 hours.',
      link: '/trades/42',
    });
    const transport = new SmtpTransport(smtpConfig());

    const result = await deliverPendingEmails(h.services, transport, {
      policy,
      baseUrl: 'https://swap.example.test',
    });

    expect(result).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message!.login).toBe(smtpUser);
    expect(message!.mailFrom).toBe('no-reply@swap.example.test');
    expect(message!.rcptTo).toEqual([email]);
    const parsed = await simpleParser(message!.raw);
    expect(firstAddress(parsed.from)).toEqual({
      name: 'Ticket Swap',
      address: 'no-reply@swap.example.test',
    });
    expect(firstAddress(parsed.to)?.address).toBe(email);
    expect(parsed.subject).toBe('Trade confirmed — Café Nights');
    expect(parsed.text).toBe(
      'Both traders accepted the swap.\nSend your ticket within 24 hours.\n\n'
      + 'Open it: https://swap.example.test/trades/42\n',
    );
    expect(parsed.messageId).toBe(`<${notificationId}@swap.example.test>`);
    expect(await rowOf(notificationId))
      .toMatchObject({ state: 'SENT', attempts: 1, lastError: null });
  });

  it('fails a 550 recipient refusal without retrying', async () => {
    rcptRejection = { code: 550, text: '5.1.1 Mailbox unknown' };
    const { email, notificationId } = await pendingEmail();
    const transport = new SmtpTransport(smtpConfig());
    const { logger, lines } = capturedLogger();
    const start = h.services.now();

    const first = await deliverPendingEmails(h.services, transport, { policy, logger });
    const afterFirst = await rowOf(notificationId);
    h.setNow(new Date(start.getTime() + policy.maxDelayMs));
    const later = await deliverPendingEmails(h.services, transport, { policy, logger });

    expect(first).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(afterFirst).toMatchObject({ state: 'FAILED', attempts: 1, nextAttemptAt: null });
    expect(afterFirst.lastError).toContain('550');
    expect(afterFirst.lastError).toContain('<recipient>');
    expect(afterFirst.lastError?.toLowerCase()).not.toContain(email.toLowerCase());
    expect(later).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(rcptAttempts).toBe(1);
    expect(received).toHaveLength(0);
    expect(lines).toHaveLength(1);
    const log = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(log).toMatchObject({
      notificationId,
      recipientDomain: 'example.test',
      responseCode: 550,
      permanent: true,
      failed: true,
    });
    expect(lines[0]!.toLowerCase()).not.toContain(email.toLowerCase());
    expect(lines[0]).not.toContain(smtpPassword);
  });

  it('fails a 554 refusal of the message body without retrying', async () => {
    dataRejection = { code: 554, text: '5.7.1 Message rejected as spam' };
    const { notificationId } = await pendingEmail();
    const transport = new SmtpTransport(smtpConfig());

    const result = await deliverPendingEmails(h.services, transport, { policy });

    expect(result).toEqual({ sent: 0, retried: 0, failed: 1 });
    expect(await rowOf(notificationId)).toMatchObject({ state: 'FAILED', attempts: 1 });
  });

  it('retries a 451 refusal with backoff until accepted', async () => {
    rcptRejection = { code: 451, text: '4.7.1 Greylisted, try again later' };
    const { email, notificationId } = await pendingEmail();
    const transport = new SmtpTransport(smtpConfig());
    const start = h.services.now();

    const first = await deliverPendingEmails(h.services, transport, { policy });
    const afterFirst = await rowOf(notificationId);
    const tooEarly = await deliverPendingEmails(h.services, transport, { policy });
    rcptRejection = null;
    h.setNow(new Date(start.getTime() + policy.baseDelayMs));
    const second = await deliverPendingEmails(h.services, transport, { policy });

    expect(first).toEqual({ sent: 0, retried: 1, failed: 0 });
    expect(afterFirst).toMatchObject({ state: 'PENDING', attempts: 1 });
    expect(afterFirst.nextAttemptAt?.getTime()).toBe(start.getTime() + policy.baseDelayMs);
    expect(afterFirst.lastError).toContain('451');
    expect(afterFirst.lastError).not.toContain(email);
    expect(tooEarly).toEqual({ sent: 0, retried: 0, failed: 0 });
    expect(second).toEqual({ sent: 1, retried: 0, failed: 0 });
    expect(await rowOf(notificationId)).toMatchObject({ state: 'SENT', attempts: 2 });
    expect(received.map((message) => message.rcptTo)).toEqual([[email]]);
  });

  it('retries when the server refuses the login', async () => {
    const { notificationId } = await pendingEmail();
    const wrongPassword = 'not-the-password';
    const transport = new SmtpTransport(
      smtpConfig({ auth: { user: smtpUser, password: wrongPassword } }),
    );
    const { logger, lines } = capturedLogger();

    const result = await deliverPendingEmails(h.services, transport, { policy, logger });

    expect(result).toEqual({ sent: 0, retried: 1, failed: 0 });
    const row = await rowOf(notificationId);
    expect(row).toMatchObject({ state: 'PENDING', attempts: 1 });
    expect(row.lastError).toContain('535');
    expect(row.lastError).not.toContain(wrongPassword);
    expect(lines.join('')).not.toContain(wrongPassword);
    expect(received).toHaveLength(0);
  });

  it('retries when no server listens', async () => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { notificationId } = await pendingEmail();

    const result = await deliverPendingEmails(
      h.services,
      new SmtpTransport(smtpConfig({ port: closedPort })),
      { policy },
    );

    expect(result).toEqual({ sent: 0, retried: 1, failed: 0 });
    const row = await rowOf(notificationId);
    expect(row).toMatchObject({ state: 'PENDING', attempts: 1 });
    expect(row.lastError).toContain('ECONNREFUSED');
  });
});
