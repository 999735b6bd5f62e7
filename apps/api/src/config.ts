import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface ApiConfig {
  port: number;
  host: string;
  /** Unset means: start an embedded Postgres in `dataDir`. */
  databaseUrl: string | undefined;
  redisUrl: string;
  /** Fall back to an in-process Redis imitation when no Redis answers (one-process start only). */
  allowRedisFallback: boolean;
  dataDir: string;
  storageDir: string;
  matchingIntervalMs: number;
  /** Addresses of reverse proxies whose X-Forwarded-For is believed. */
  trustedProxies: string[];
  rateLimitPerSecond: number;
  cookieSecure: boolean;
  seedDemo: boolean;
  runWorkers: boolean;
  serveApps: boolean;
  logLevel: string;
  /** The origin traders reach the site at (PUBLIC_URL); null when not configured. */
  publicOrigin: string | null;
}

function originFromEnv(name: string): string | null {
  const raw = process.env[name];
  if (!raw) {
    return null;
  }
  try {
    return new URL(raw).origin;
  } catch {
    throw new Error(`${name} must be an absolute URL such as https://swap.example.com, got "${raw}"`);
  }
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  }

  return value;
}

function flag(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }

  return raw === '1' || raw.toLowerCase() === 'true';
}

export function loadConfig(): ApiConfig {
  const dataDir = path.resolve(process.env.DATA_DIR ?? path.join(repoRoot, '.data'));

  return {
    port: intFromEnv('PORT', 3000),
    host: process.env.HOST ?? '127.0.0.1',
    databaseUrl: process.env.DATABASE_URL || undefined,
    redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    allowRedisFallback: flag('REDIS_FALLBACK', true),
    dataDir,
    storageDir: path.resolve(process.env.STORAGE_DIR ?? path.join(dataDir, 'storage')),
    matchingIntervalMs: intFromEnv('MATCHING_INTERVAL_MS', 5000),
    trustedProxies: (process.env.TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    rateLimitPerSecond: intFromEnv('RATE_LIMIT_PER_SECOND', 20),
    cookieSecure: flag('COOKIE_SECURE', process.env.NODE_ENV === 'production'),
    seedDemo: flag('SEED_DEMO', true),
    runWorkers: flag('RUN_WORKERS', true),
    serveApps: flag('SERVE_APPS', true),
    logLevel: process.env.LOG_LEVEL ?? 'info',
    publicOrigin: originFromEnv('PUBLIC_URL'),
  };
}
