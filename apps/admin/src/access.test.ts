import { describe, expect, it } from 'vitest';

import { canAccessResource, canReviewKyc, isStaff } from './access.ts';

describe('console access', () => {
  it('keeps traders out', () => {
    expect(isStaff('TRADER')).toBe(false);
    expect(canAccessResource('TRADER', 'users', 'list')).toBe(false);
  });

  it('keeps signed-out visitors out', () => {
    expect(canAccessResource(undefined, 'tickets', 'list')).toBe(false);
  });

  it('opens main resources to staff', () => {
    for (const role of ['COMPLIANCE', 'SUPPORT', 'ADMIN'] as const) {
      for (const resource of ['users', 'tickets', 'trades']) {
        expect(canAccessResource(role, resource, 'list'), `${role} ${resource}`).toBe(true);
      }
    }
  });

  it('limits audit log to compliance', () => {
    expect(canAccessResource('COMPLIANCE', 'audit', 'list')).toBe(true);
    expect(canAccessResource('ADMIN', 'audit', 'list')).toBe(true);
    expect(canAccessResource('SUPPORT', 'audit', 'list')).toBe(false);
  });

  it('limits KYC decisions to compliance', () => {
    expect(canReviewKyc('COMPLIANCE')).toBe(true);
    expect(canReviewKyc('ADMIN')).toBe(true);
    expect(canReviewKyc('SUPPORT')).toBe(false);
    expect(canAccessResource('SUPPORT', 'users', 'kyc')).toBe(false);
    expect(canAccessResource('COMPLIANCE', 'users', 'kyc')).toBe(true);
  });
});
