// Server-level Postgres statements (CREATE/DROP DATABASE) that cannot go through Prisma,
// shared by the schema engine's shadow databases and the test database harness.
import pg from 'pg';

/** Opens one pg connection to `databaseUrl`, runs `work` with it and closes it. */
export async function withPgClient<T>(
  databaseUrl: string,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Returns `databaseUrl` pointed at another database on the same server. */
export function withDatabaseName(databaseUrl: string, databaseName: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(databaseName)}`;

  return url.toString();
}

/** Quotes a Postgres identifier, for statements such as CREATE DATABASE that take no parameters. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Drops a database even while clients are still connected to it (Postgres 13 and later). */
export async function dropDatabase(client: pg.Client, databaseName: string): Promise<void> {
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(databaseName)} WITH (FORCE)`);
}
