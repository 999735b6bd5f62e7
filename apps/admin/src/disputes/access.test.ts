import { describe, expect, it } from 'vitest';

import { canAccessResource } from '../access.ts';

describe('dispute access', () => {
  it('shows disputes to every staff role', () => {
    for (const role of ['COMPLIANCE', 'SUPPORT', 'ADMIN'] as const) {
      expect(canAccessResource(role, 'disputes', 'list'), role).toBe(true);
      expect(canAccessResource(role, 'disputes', 'show'), role).toBe(true);
    }
  });

  it('limits decisions to support and admin', () => {
    expect(canAccessResource('SUPPORT', 'disputes', 'resolve')).toBe(true);
    expect(canAccessResource('ADMIN', 'disputes', 'resolve')).toBe(true);
    expect(canAccessResource('COMPLIANCE', 'disputes', 'resolve')).toBe(false);
    expect(canAccessResource('TRADER', 'disputes', 'resolve')).toBe(false);
  });

  it('keeps traders out of disputes', () => {
    expect(canAccessResource('TRADER', 'disputes', 'list')).toBe(false);
  });
});
