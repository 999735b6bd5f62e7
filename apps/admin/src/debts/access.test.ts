import { describe, expect, it } from 'vitest';

import { canAccessResource } from '../access.ts';

describe('debt access', () => {
  it('lets every staff role read debts', () => {
    for (const role of ['COMPLIANCE', 'SUPPORT', 'ADMIN'] as const) {
      for (const action of ['list', 'show']) {
        expect(canAccessResource(role, 'debts', action), `${role} ${action}`).toBe(true);
      }
    }
  });

  it('limits write-off to admin', () => {
    expect(canAccessResource('ADMIN', 'debts', 'writeOff')).toBe(true);
    expect(canAccessResource('COMPLIANCE', 'debts', 'writeOff')).toBe(false);
    expect(canAccessResource('SUPPORT', 'debts', 'writeOff')).toBe(false);
  });

  it('keeps traders out', () => {
    expect(canAccessResource('TRADER', 'debts', 'list')).toBe(false);
    expect(canAccessResource('TRADER', 'debts', 'writeOff')).toBe(false);
  });
});
