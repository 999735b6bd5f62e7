import path from 'node:path';

import type { Logger } from 'pino';

import {
  DevMailbox,
  SmtpTransport,
  smtpConfigFromEnv,
  type MailTransport,
} from '@ts/domain/notifications/index';
import {
  PartnerApiTransferAdapter,
  partnerApiConfigFromEnv,
} from '@ts/domain/transfers/index';

import { loadConfig } from '../config.ts';

/** Outside systems the workers talk to, built once per process from the environment. */
export interface WorkerAdapters {
  mail: MailTransport;
  partner: PartnerApiTransferAdapter | null;
  /** Address of the traders' app, for links in e-mails. */
  appUrl: string;
}

let adapters: WorkerAdapters | undefined;

/** Picks the SMTP server from `SMTP_URL`, or the dev mailbox when it is unset. */
function mailTransport(dataDir: string, logger: Logger): MailTransport {
  const smtp = smtpConfigFromEnv(process.env);
  if (smtp) {
    // No credentials: some providers use an API token as the user name as well as the password.
    logger.info(
      { smtpHost: smtp.host, smtpPort: smtp.port, secure: smtp.secure, login: smtp.auth !== null },
      'e-mail notifications are sent through the SMTP server',
    );

    return new SmtpTransport(smtp);
  }

  const mailbox = path.join(dataDir, 'mailbox');
  logger.info({ mailbox }, 'e-mail notifications are written as .eml files to the dev mailbox');

  return new DevMailbox(mailbox);
}

/**
 * Builds the adapters on first use and logs where mail goes and whether the ticketing partner
 * is configured. E-mail goes to the SMTP server in `SMTP_URL` when it is set, and otherwise to
 * the dev mailbox folder `<DATA_DIR>/mailbox`.
 */
export function workerAdapters(logger: Logger): WorkerAdapters {
  if (adapters) {
    return adapters;
  }

  const config = loadConfig();
  const partnerConfig = partnerApiConfigFromEnv(process.env);
  adapters = {
    mail: mailTransport(config.dataDir, logger),
    partner: partnerConfig ? new PartnerApiTransferAdapter(partnerConfig) : null,
    // Links in e-mails and pushes: the public address when configured, else where this process listens.
    appUrl: config.publicOrigin ?? `http://${config.host}:${config.port}`,
  };
  if (partnerConfig) {
    const partnerApi = new URL(partnerConfig.baseUrl).origin;
    logger.info({ partnerApi }, 'ticketing partner API is on');
  } else {
    logger.info('PARTNER_API_URL or PARTNER_API_TOKEN is unset; partner transfers run manually');
  }

  return adapters;
}
