import type { Role } from './trpc.ts';

/**
 * Roles allowed into the console. The API enforces these rules on every call, so the tables in
 * this file only hide pages and buttons that a role could not use anyway.
 */
export const staffRoles: readonly Role[] = ['COMPLIANCE', 'SUPPORT', 'ADMIN'];

/** Roles that may record a KYC decision (`admin.users.setKyc`). */
export const kycReviewerRoles: readonly Role[] = ['COMPLIANCE', 'ADMIN'];

/** Roles that may read the audit log (`admin.audit.list`). */
export const auditReaderRoles: readonly Role[] = ['COMPLIANCE', 'ADMIN'];

/** Roles that may decide a dispute (`admin.disputes.resolve`). Every staff role may add notes. */
export const disputeDeciderRoles: readonly Role[] = ['SUPPORT', 'ADMIN'];

/** Roles that may read and decide the transfers waiting for staff (`admin.transferReviews`). */
export const transferReviewerRoles: readonly Role[] = ['SUPPORT', 'ADMIN'];

/** Roles that may read and decide fraud cases (`admin.fraudCases`). */
export const fraudReviewerRoles: readonly Role[] = ['COMPLIANCE', 'ADMIN'];

/** Roles that may write off a trader's debt (`admin.debts.writeOff`). Every staff role reads debts. */
export const debtWriteOffRoles: readonly Role[] = ['ADMIN'];

/** Roles that may read and requeue parked outbox events (`admin.outbox`). */
export const outboxOperatorRoles: readonly Role[] = ['ADMIN'];

export function isStaff(role: Role | undefined): boolean {
  return role !== undefined && staffRoles.includes(role);
}

export function canReviewKyc(role: Role | undefined): boolean {
  return role !== undefined && kycReviewerRoles.includes(role);
}

/**
 * Decides whether a role may open a resource page or run an action on it, in the shape of
 * react-admin's `canAccess`. Resources not named here are open to every staff role.
 */
export function canAccessResource(role: Role | undefined, resource: string, action: string) {
  if (!isStaff(role)) {
    return false;
  }
  if (resource === 'audit') {
    return auditReaderRoles.includes(role as Role);
  }
  if (resource === 'users' && action === 'kyc') {
    return canReviewKyc(role);
  }
  if (resource === 'disputes' && action === 'resolve') {
    return disputeDeciderRoles.includes(role as Role);
  }
  if (resource === 'transferReviews') {
    return transferReviewerRoles.includes(role as Role);
  }
  if (resource === 'fraudCases') {
    return fraudReviewerRoles.includes(role as Role);
  }
  if (resource === 'debts' && action === 'writeOff') {
    return debtWriteOffRoles.includes(role as Role);
  }
  if (resource === 'parkedEvents') {
    return outboxOperatorRoles.includes(role as Role);
  }

  return true;
}
