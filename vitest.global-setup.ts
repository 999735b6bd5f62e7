// Runs once per vitest run, in the main process before any worker starts: builds the migrated
// template database that createTestDatabase() clones, so workers never race to build it, and
// drops test databases left behind by killed runs.
import {
  dropStaleTestDatabases,
  ensureTemplateDatabase,
  testServerUrl,
} from './packages/db/src/testing.ts';

export default async function setup(): Promise<void> {
  try {
    await ensureTemplateDatabase();
    await dropStaleTestDatabases();
  } catch (error) {
    const { host } = new URL(testServerUrl);
    throw new Error(
      `test database setup failed on ${host}; is Postgres running there? ` +
        'Set TEST_DATABASE_URL to a postgres:// URL of a role with CREATEDB.',
      { cause: error },
    );
  }
}
