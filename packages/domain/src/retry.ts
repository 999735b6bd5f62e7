import { isRetryableConflict } from './errors.ts';

/**
 * Runs a transaction again when Postgres aborted it as a deadlock or serialization failure,
 * which happens when two requests lock the same rows in different orders. Each attempt is a
 * whole new transaction, so nothing from the failed one remains.
 */
export async function withConflictRetry<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}
