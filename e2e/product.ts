// Starts the whole product (API, workers, built web and admin apps) on a fresh database of the
// test Postgres server for the browser tests, and stops it afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import type { TestProject } from 'vitest/node';

import { createEmptyTestDatabase } from '../packages/db/src/testing.ts';

const port = Number(process.env.E2E_PORT ?? 3210);
let child: ChildProcess | null = null;

async function waitForHealth(url: string, deadlineMs: number): Promise<void> {
  const stopAt = Date.now() + deadlineMs;
  while (Date.now() < stopAt) {
    if (child?.exitCode !== null) {
      throw new Error(`the product exited with code ${child?.exitCode} before it was ready`);
    }
    try {
      const response = await fetch(url);
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the product did not answer ${url} within ${deadlineMs} ms`);
}

export default async function setup(project: TestProject) {
  const database = await createEmptyTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ticketswap-e2e-'));
  const root = path.resolve(import.meta.dirname, '..');

  child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_FALLBACK: 'false',
      PORT: String(port),
      DATA_DIR: dataDir,
      MATCHING_INTERVAL_MS: '1000',
      // Three browsers on one loopback address share the per-address limit.
      RATE_LIMIT_PER_SECOND: '200',
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });

  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHealth(`${baseUrl}/health`, 150_000);
  project.provide('baseUrl', baseUrl);
  project.provide('databaseUrl', database.url);

  return async () => {
    child?.kill('SIGTERM');
    await new Promise((resolve) => {
      if (!child || child.exitCode !== null) {
        resolve(null);
      } else {
        child.once('exit', resolve);
        setTimeout(resolve, 10_000);
      }
    });
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    databaseUrl: string;
  }
}
