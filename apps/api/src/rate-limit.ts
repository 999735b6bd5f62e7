import type { Redis } from 'ioredis';

/**
 * Counts requests per client address in one-second windows in Redis, so every API process
 * shares the same count. A batched tRPC request costs one per call (`weight`). Returns false
 * once the address is over the limit in this window.
 */
export async function allowRequest(
  redis: Redis,
  address: string,
  limitPerSecond: number,
  weight = 1,
): Promise<boolean> {
  const window = Math.floor(Date.now() / 1000);
  const key = `ratelimit:${address}:${window}`;
  const results = await redis.multi().incrby(key, weight).expire(key, 2).exec();
  const count = Number(results?.[0]?.[1] ?? 0);

  return count <= limitPerSecond;
}
