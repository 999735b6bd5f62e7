// Holds a Postgres lock from the test's own connection so that a product process stops at a
// chosen statement in the middle of one of its transactions, where the test can kill it.
import type { PrismaClient } from '@ts/db';

export interface LockGate {
  /** Waits until another backend is blocked behind this lock, or throws after `timeoutMs`. */
  waitUntilSomeoneWaits(timeoutMs?: number): Promise<void>;
  /** Ends the holding transaction (it changed nothing) and frees the lock. */
  release(): Promise<void>;
}

/**
 * Runs `lockStatement` (e.g. `LOCK TABLE "Payout" IN SHARE MODE`, or a SELECT ... FOR UPDATE)
 * in a transaction that stays open until `release()`.
 */
export async function holdLock(prisma: PrismaClient, lockStatement: string): Promise<LockGate> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: (pid: number) => void;
  const holderPid = new Promise<number>((resolve) => {
    locked = resolve;
  });

  const transaction = prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
    await tx.$executeRawUnsafe(lockStatement);
    locked(row!.pid);
    await released;
  }, { timeout: 120_000, maxWait: 10_000 });
  const pid = await Promise.race([holderPid, transaction.then(() => -1)]);
  if (pid < 0) {
    throw new Error(`the lock holder ended before it took the lock: ${lockStatement}`);
  }

  return {
    async waitUntilSomeoneWaits(timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const [row] = await prisma.$queryRaw<{ waiting: number }[]>`
          SELECT count(*)::int AS waiting FROM pg_stat_activity
          WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`;
        if ((row?.waiting ?? 0) > 0) {
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`no transaction blocked on "${lockStatement}" within ${timeoutMs} ms`);
    },
    async release() {
      release();
      await transaction;
    },
  };
}
