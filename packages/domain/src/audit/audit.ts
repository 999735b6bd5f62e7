import { createHash } from 'node:crypto';

import type { Prisma, Tx } from '@ts/db';

export interface AuditEntry {
  actorId: string | null;
  actorRole?: string | null;
  action: string;
  entityType: string;
  entityId: string;
  data?: Record<string, unknown>;
  requestId?: string;
}

const genesisHash = '0'.repeat(64);

/**
 * Appends one row to the hash-chained audit log inside the caller's transaction.
 * A transaction-scoped advisory lock serialises appends so each row links to the one before it.
 */
export async function appendAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('audit_log_chain'))`;

  const last = await tx.auditLog.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
  const prevHash = last?.hash ?? genesisHash;
  const at = new Date();
  const data = (entry.data ?? {}) as Prisma.InputJsonObject;
  const hash = chainHash(prevHash, {
    at: at.toISOString(),
    actorId: entry.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    data,
  });

  await tx.auditLog.create({
    data: {
      at,
      actorId: entry.actorId,
      actorRole: entry.actorRole ?? null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      data,
      prevHash,
      hash,
      requestId: entry.requestId ?? null,
    },
  });
}

/** Computes a row's hash from the previous row's hash and the row's canonical JSON. */
export function chainHash(prevHash: string, row: Record<string, unknown>): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(row)).digest('hex');
}

/** Serialises with sorted object keys so the same row always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    const parts = keys.map((key) => {
      const item = (value as Record<string, unknown>)[key];

      return `${JSON.stringify(key)}:${canonicalJson(item)}`;
    });

    return `{${parts.join(',')}}`;
  }

  return JSON.stringify(value ?? null);
}

/** Recomputes the chain and returns the id of the first row whose hash does not match. */
export async function verifyAuditChain(tx: Tx): Promise<{ rows: number; brokenAt: bigint | null }> {
  const rows = await tx.auditLog.findMany({ orderBy: { id: 'asc' } });
  let prevHash = genesisHash;

  for (const row of rows) {
    const expected = chainHash(prevHash, {
      at: row.at.toISOString(),
      actorId: row.actorId,
      action: row.action,
      entityType: row.entityType,
      entityId: row.entityId,
      data: row.data,
    });
    if (row.prevHash !== prevHash || row.hash !== expected) {
      return { rows: rows.length, brokenAt: row.id };
    }
    prevHash = row.hash;
  }

  return { rows: rows.length, brokenAt: null };
}
