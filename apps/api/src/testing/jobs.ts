// Moves pg-boss's clock forward for jobs a killed worker left active, so that a test need not
// wait out each queue's expiry (2 to 10 minutes here) and pg-boss's 60-second supervise pass.
import type { PrismaClient } from '@ts/db';
import { PgBoss } from 'pg-boss';

/**
 * Ages every active job past its expiry and runs pg-boss's own supervise pass, which fails
 * them into retry (or the dead-letter queue), then makes the retries due now. Call it only
 * while no worker runs, so every active job is one that a killed worker abandoned.
 */
export async function expireAbandonedJobs(prisma: PrismaClient, databaseUrl: string): Promise<number> {
  const aged = await prisma.$executeRaw`
    UPDATE pgboss.job
    SET started_on = started_on - make_interval(secs => expire_seconds + 1)
    WHERE state = 'active'`;
  if (aged === 0) {
    return 0;
  }

  // pg-boss runs expiry at most once per monitor interval per queue, claimed by a timestamp on
  // the queue row. Clearing the claim makes the pass below due at once.
  await prisma.$executeRaw`UPDATE pgboss.queue SET monitor_claim_on = NULL, monitor_on = NULL`;
  const boss = new PgBoss({ connectionString: databaseUrl, supervise: false, schedule: false });
  boss.on('error', () => undefined);
  await boss.start();
  try {
    await boss.supervise();
  } finally {
    await boss.stop({ graceful: false, timeout: 1000 });
  }
  await prisma.$executeRaw`UPDATE pgboss.job SET start_after = now() WHERE state = 'retry'`;

  return aged;
}
