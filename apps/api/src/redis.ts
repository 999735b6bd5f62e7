import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Connects to Redis. When nothing answers and the fallback is allowed, returns an in-process
 * imitation so that a one-process start works on a machine without Redis; it holds state in this
 * process only, so running several API processes needs a real Redis.
 */
export async function connectRedis(url: string, allowFallback: boolean, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, connectTimeout: 2000 });
  redis.on('error', (err) => logger.debug({ err }, 'redis connection error'));
  try {
    await redis.connect();
    await redis.ping();
    logger.info({ redis: new URL(url).host }, 'connected to redis');

    return redis;
  } catch (error) {
    redis.disconnect();
    if (!allowFallback) {
      throw new Error(
        `Could not connect to Redis at ${url}: ${(error as Error).message}. ` +
          'Start Redis or set REDIS_URL.',
      );
    }
    // @ts-expect-error ioredis-mock ships no type declarations.
    const { default: RedisMock } = await import('ioredis-mock');
    logger.warn(
      { redis: new URL(url).host },
      'no Redis answered; using an in-process Redis imitation (single process only)',
    );

    return new RedisMock() as unknown as Redis;
  }
}
