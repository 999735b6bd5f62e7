import { PrismaPg } from '@prisma/adapter-pg';

import { PrismaClient } from './generated/prisma/client.ts';

export * from './generated/prisma/client.ts';
export type { Prisma } from './generated/prisma/client.ts';

/** A Prisma client or the transaction client handed to `$transaction` callbacks. */
export type Db = PrismaClient;
export type Tx = Omit<
  PrismaClient,
  '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'
>;

/** Creates a Prisma client over node-postgres for the given connection string. */
export function createPrisma(databaseUrl: string): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl });

  return new PrismaClient({ adapter });
}
