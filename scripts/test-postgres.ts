// Runs an embedded Postgres for the test suite on a machine without one, until it is killed.
// Writes the server's URL to the file named by the first argument once it accepts connections.
import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { pino } from 'pino';

import { repoRoot } from '../apps/api/src/config.ts';
import { startEmbeddedPostgres } from '../apps/api/src/embedded-postgres.ts';

const readyFile = process.argv[2];
if (!readyFile) {
  throw new Error('usage: test-postgres.ts READY_FILE');
}

const logger = pino({ level: 'warn' });
const port = Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54330);
const server = await startEmbeddedPostgres(path.join(repoRoot, '.data/test'), port, logger);
// The test harness makes its databases next to this one on the same server.
writeFileSync(readyFile, server.url.replace(/\/[^/]+$/, '/postgres'));

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
setInterval(() => undefined, 60_000);
