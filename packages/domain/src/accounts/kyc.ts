import type { KycStatus, Tx } from '@ts/db';

import { appendAudit } from '../audit/audit.ts';
import { emitEvent } from '../audit/outbox.ts';
import type { OperationOptions, Services } from '../context.ts';
import { DomainError } from '../errors.ts';

/** Reads KYC from the database, not the session, so a revoked check takes effect at once. */
export async function requireVerifiedTrader(services: Services, userId: string): Promise<void> {
  const user = await services.prisma.user.findUnique({
    where: { id: userId },
    select: { kycStatus: true, role: true },
  });
  if (!user || user.role !== 'TRADER') {
    throw new DomainError('FORBIDDEN', 'Only trader accounts can trade.');
  }
  if (user.kycStatus !== 'VERIFIED') {
    throw new DomainError(
      'KYC_REQUIRED',
      'Your identity check is not verified yet, so you cannot list or accept trades.',
      { kycStatus: user.kycStatus },
    );
  }
}

/** Records a compliance officer's KYC decision on a trader. */
export async function setKycStatus(
  options: OperationOptions,
  input: { userId: string; status: KycStatus; note?: string },
) {
  return options.services.prisma.$transaction((tx) => setKycStatusIn(tx, options, input));
}

/** setKycStatus inside the caller's transaction, e.g. a fraud case decision. */
export async function setKycStatusIn(
  tx: Tx,
  { services, actor, meta }: OperationOptions,
  input: { userId: string; status: KycStatus; note?: string },
) {
  const user = await tx.user.findUnique({
    where: { id: input.userId },
    select: { id: true, role: true, kycStatus: true },
  });
  if (!user) {
    throw new DomainError('NOT_FOUND', 'User not found.', { userId: input.userId });
  }
  if (user.role !== 'TRADER') {
    throw new DomainError('INVALID_INPUT', 'KYC applies to trader accounts only.');
  }

  const updated = await tx.user.update({
    where: { id: user.id },
    data: { kycStatus: input.status, kycReviewedById: actor.userId, kycReviewedAt: services.now() },
    select: { id: true, kycStatus: true, kycReviewedAt: true },
  });
  await appendAudit(tx, {
    actorId: actor.userId,
    actorRole: actor.role,
    action: 'user.kyc_changed',
    entityType: 'User',
    entityId: user.id,
    data: { from: user.kycStatus, to: input.status, note: input.note ?? null },
    requestId: meta.requestId,
  });
  await emitEvent(tx, { type: 'User', id: user.id }, {
    type: 'user.kyc_changed',
    version: 1,
    userId: user.id,
    kycStatus: input.status,
  });

  return updated;
}
