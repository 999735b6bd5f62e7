import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

import type { KycStatus, PrismaClient, Role, Tx } from '@ts/db';

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
}

export const defaultConfig: DomainConfig = {
  proposalTtlMinutes: 60 * 24,
  escrowHours: 72,
  maxUploadBytes: 10 * 1024 * 1024,
  matchTolerance: 0.03,
};

/** Long-lived dependencies shared by every request and job of one process. */
export interface Services {
  prisma: PrismaClient;
  redis: Redis;
  storage: FileStorage;
  jobs: JobQueue;
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
