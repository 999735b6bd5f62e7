import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestDatabase, type TestDatabase } from './testing.ts';

// The rule lives in a trigger of the audit_append_only migration, so these tests drive the
// database directly through Prisma and raw SQL rather than through domain code.
describe('AuditLog table', () => {
  let database: TestDatabase;
  let rowId: bigint;

  beforeAll(async () => {
    database = await createTestDatabase();
    const row = await database.prisma.auditLog.create({
      data: {
        action: 'ticket.listed',
        entityType: 'Ticket',
        entityId: 'ticket-1',
        data: { priceMinor: 1500 },
        prevHash: '',
        hash: 'hash-1',
      },
    });
    rowId = row.id;
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('rejects UPDATE of a row', async () => {
    const update = database.prisma.auditLog.update({
      where: { id: rowId },
      data: { action: 'ticket.withdrawn' },
    });

    await expect(update).rejects.toThrow(/AuditLog is append-only: UPDATE/);
  });

  it('rejects DELETE of a row', async () => {
    const remove = database.prisma.auditLog.delete({ where: { id: rowId } });

    await expect(remove).rejects.toThrow(/AuditLog is append-only: DELETE/);
  });

  it('rejects an UPDATE that matches no rows', async () => {
    const update = database.prisma.$executeRaw`
      UPDATE "AuditLog" SET "action" = 'x' WHERE "id" = -1`;

    await expect(update).rejects.toThrow(/AuditLog is append-only: UPDATE/);
  });

  it('rejects TRUNCATE', async () => {
    const truncate = database.prisma.$executeRawUnsafe('TRUNCATE "AuditLog"');

    await expect(truncate).rejects.toThrow(/AuditLog is append-only: TRUNCATE/);
  });

  it('keeps the original row after the rejected changes', async () => {
    const rows = await database.prisma.auditLog.findMany({
      select: { id: true, action: true, hash: true },
    });

    expect(rows).toEqual([{ id: rowId, action: 'ticket.listed', hash: 'hash-1' }]);
  });

  it('accepts further inserts', async () => {
    await database.prisma.auditLog.create({
      data: {
        action: 'ticket.withdrawn',
        entityType: 'Ticket',
        entityId: 'ticket-1',
        data: {},
        prevHash: 'hash-1',
        hash: 'hash-2',
      },
    });

    await expect(database.prisma.auditLog.count()).resolves.toBe(2);
  });
});
