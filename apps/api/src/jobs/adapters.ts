import path from 'node:path';

import type { Logger } from 'pino';

import { DevMailbox, type MailTransport } from '@ts/domain/notifications/index';
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

/**
 * Builds the adapters on first use and logs where mail goes and whether the ticketing partner
 * is configured. E-mail goes to the dev mailbox folder `<DATA_DIR>/mailbox` for now.
 */
export function workerAdapters(logger: Logger): WorkerAdapters {
  if (adapters) {
    return adapters;
  }

  const config = loadConfig();
  const mailbox = path.join(config.dataDir, 'mailbox');
  const partnerConfig = partnerApiConfigFromEnv(process.env);
  adapters = {
    mail: new DevMailbox(mailbox),
    partner: partnerConfig ? new PartnerApiTransferAdapter(partnerConfig) : null,
    appUrl: `http://${config.host}:${config.port}`,
  };
  logger.info({ mailbox }, 'e-mail notifications are written as .eml files to the dev mailbox');
  if (partnerConfig) {
    const partnerApi = new URL(partnerConfig.baseUrl).origin;
    logger.info({ partnerApi }, 'ticketing partner API is on');
  } else {
    logger.info('PARTNER_API_URL or PARTNER_API_TOKEN is unset; partner transfers run manually');
  }

  return adapters;
}
