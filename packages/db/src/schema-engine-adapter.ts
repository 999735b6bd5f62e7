// The node-postgres driver adapter that the wasm schema engine runs its SQL through: PrismaPg
// from @prisma/adapter-pg 7.10.0, with the fixes the engine needs to migrate and introspect.
import { randomUUID } from 'node:crypto';

import { PrismaPg } from '@prisma/adapter-pg';
import {
  DriverAdapterError,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import type { Logger } from 'pino';

import { dropDatabase, quoteIdentifier, withDatabaseName, withPgClient } from './pg-admin.ts';

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

const pgCharOid = 18;
const pgTextOid = 25;

type QueryCallback = (error: Error | null, result?: pg.QueryResult | pg.QueryResult[]) => void;

function relabelCharColumns(result: pg.QueryResult | pg.QueryResult[] | undefined): void {
  if (result === undefined) {
    return;
  }

  // A query string with several statements returns one result per statement.
  const results = Array.isArray(result) ? result : [result];
  for (const { fields } of results) {
    for (const field of fields ?? []) {
      if (field.dataTypeID === pgCharOid) {
        field.dataTypeID = pgTextOid;
      }
    }
  }
}

// The engine reads Postgres catalog columns of the one-byte type "char" (pg_class.relkind,
// pg_constraint.contype and others) while introspecting. @prisma/adapter-pg 7.10.0 has no column
// type for that OID and fails with "Column type 'char' could not be deserialized", which breaks
// every diff from a live database. Postgres sends "char" values in text form, so labelling the
// column as text hands the engine the same one-character string it expects.
class CatalogCharAsTextClient extends pg.Client {
  // pg's query has many overloads, so this passes every argument through unchanged. It only
  // rewrites the field descriptions of the result, whether that arrives by callback or promise.
  override query(...args: unknown[]): never {
    const [config] = args;
    const isSubmittable =
      typeof config === 'object' && config !== null && 'submit' in config;
    const callbackIndex = args.findIndex((arg) => typeof arg === 'function');
    const superQuery = super.query.bind(this) as (...params: unknown[]) => unknown;

    if (isSubmittable) {
      return superQuery(...args) as never;
    }

    if (callbackIndex >= 0) {
      const callback = args[callbackIndex] as QueryCallback;
      args[callbackIndex] = ((error, result) => {
        relabelCharColumns(result);
        callback(error, result);
      }) satisfies QueryCallback;

      return superQuery(...args) as never;
    }

    const pending = superQuery(...args) as Promise<pg.QueryResult | pg.QueryResult[]>;

    return pending.then((result) => {
      relabelCharColumns(result);

      return result;
    }) as never;
  }
}

/**
 * A PrismaPg driver adapter factory for the schema engine. `disposeAll()` closes every pool it
 * opened: the engine disposes of shadow database connections but never of its main one, whose
 * open pool would keep the process alive. It makes shadow databases itself, because PrismaPg's
 * own version leaks one pool per shadow database and fails to drop a shadow database that the
 * engine has already disposed of.
 */
export class EnginePgAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName: string;
  private readonly databaseUrl: string;
  private readonly opened: SqlDriverAdapter[] = [];

  private readonly logger: Logger;

  constructor(databaseUrl: string, logger: Logger) {
    this.databaseUrl = databaseUrl;
    this.logger = logger;
    this.adapterName = createPgAdapterFactory(databaseUrl).adapterName;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const adapter = await createPgAdapterFactory(this.databaseUrl).connect();

    return this.track(adapter);
  }

  // The engine replays the migrations folder into a throwaway database to learn the schema it
  // produces, the way `prisma migrate diff --from-migrations` uses a shadow database.
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = `prisma_migrate_shadow_db_${randomUUID()}`;
    await withPgClient(this.databaseUrl, (client) =>
      client.query(`CREATE DATABASE ${quoteIdentifier(name)}`),
    );

    const shadowUrl = withDatabaseName(this.databaseUrl, name);
    const adapter = await createPgAdapterFactory(shadowUrl).connect();
    const closePool = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      await closePool();
      await withPgClient(this.databaseUrl, (client) => dropDatabase(client, name));
    };

    return this.track(adapter);
  }

  async disposeAll(): Promise<void> {
    const adapters = this.opened.splice(0);
    const results = await Promise.allSettled(adapters.map((adapter) => adapter.dispose()));

    for (const result of results) {
      if (result.status === 'rejected') {
        this.logger.warn({ err: result.reason }, 'failed to close a schema engine connection');
      }
    }
  }

  // Makes dispose idempotent, since both the engine and disposeAll may call it.
  private track(adapter: PgAdapter): SqlDriverAdapter {
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () => (disposed ??= dispose());
    adapter.executeScript = (script) => executeScriptAsOneQuery(adapter, script);
    this.opened.push(adapter);

    return adapter;
  }
}

// PrismaPg's executeScript splits a script at every ";" and runs the pieces one by one. That
// breaks any function body or comment containing a semicolon, and leaves a half-applied
// migration when a later statement fails. Sent as one simple-protocol query instead, the
// script is parsed by Postgres itself and runs as one implicit transaction, unless the script
// has its own BEGIN/COMMIT or a statement that cannot run in a transaction block.
async function executeScriptAsOneQuery(adapter: PgAdapter, script: string): Promise<void> {
  const pool = adapter.underlyingDriver();
  try {
    await pool.query(script);
  } catch (error) {
    if (error instanceof pg.DatabaseError) {
      // The engine reads a DriverAdapterError's cause; anything else reaches it as opaque.
      throw new DriverAdapterError({
        kind: 'postgres',
        code: error.code ?? 'unknown',
        severity: error.severity ?? 'ERROR',
        message: error.message,
        detail: error.detail,
        column: error.column,
        hint: error.hint,
      });
    }
    throw error;
  }
}

function createPgAdapterFactory(databaseUrl: string): PrismaPg {
  return new PrismaPg({ connectionString: databaseUrl, Client: CatalogCharAsTextClient });
}
