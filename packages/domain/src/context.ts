import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

import type { KycStatus, PrismaClient, Role, Tx } from '@ts/db';

import type { PushSender } from './notifications/push.ts';
import type { PaymentsAdapter } from './payments/adapter.ts';
import type { FileStorage } from './storage/storage.ts';

/** Enqueues background jobs; `tx` makes the job part of the caller's transaction. */
export interface JobQueue {
  send(
    name: string,
    data: object,
    options?: { tx?: Tx; startAfter?: Date; singletonKey?: string },
  ): Promise<string | null>;
}

export interface DomainConfig {
  /** Minutes an open proposal waits for both sides before it expires. */
  proposalTtlMinutes: number;
  /** Hours both transfers of a trade have before the escrow times out and returns both tickets. */
  escrowHours: number;
  /** Largest accepted ticket upload in bytes. */
  maxUploadBytes: number;
  /** Maximum relative gap between two listings' values for them to be paired, e.g. 0.03. */
  matchTolerance: number;
  /**
   * Largest relative value gap a direct proposal may bridge with a cash top-up, e.g. 0.5 lets
   * a $60 ticket be swapped for a $120 one plus $60 in cash.
   */
  maxCashGap: number;
  /**
   * Hours after a top-up's card authorization at which the platform captures it into its own
   * balance, because card authorizations lapse after about 7 days and an escrow or a dispute
   * may last longer. The money is refunded if the trade then fails.
   */
  captureBeforeLapseHours: number;
  /**
   * A top-up at or above this amount (minor units) is paid out only after the event of the
   * ticket its receiver gave, so a ticket refused at the gate can still be undone in cash.
   */
  highValuePayoutMinor: number;
  /** Days after completion during which a receiver may report a ticket that did not work. */
  disputeAfterCompletionDays: number;
  /**
   * The origin traders use the site at, e.g. https://swap.example.com. When set, the return
   * addresses a trader hands to payout onboarding must be on it. Null accepts any http(s) URL.
   */
  appOrigin: string | null;
}

export const defaultConfig: DomainConfig = {
  proposalTtlMinutes: 60 * 24,
  escrowHours: 72,
  maxUploadBytes: 10 * 1024 * 1024,
  matchTolerance: 0.03,
  maxCashGap: 0.5,
  captureBeforeLapseHours: 6 * 24,
  highValuePayoutMinor: 50_000,
  disputeAfterCompletionDays: 7,
  appOrigin: null,
};

/** Long-lived dependencies shared by every request and job of one process. */
export interface Services {
  prisma: PrismaClient;
  redis: Redis;
  storage: FileStorage;
  jobs: JobQueue;
  /** The card processor: Stripe when a key is configured, else the offline test adapter. */
  payments: PaymentsAdapter;
  /** Web Push with the server's VAPID key; absent means push notifications are off. */
  push?: PushSender;
  logger: Logger;
  config: DomainConfig;
  now: () => Date;
}

export interface Actor {
  userId: string;
  role: Role;
  kycStatus: KycStatus;
  sessionId: string;
}

export interface RequestMeta {
  requestId: string;
  ipAddress: string;
  userAgent?: string;
  deviceFingerprint?: string;
}

/** Arguments every domain operation started by a person receives. */
export interface OperationOptions {
  services: Services;
  actor: Actor;
  meta: RequestMeta;
}
