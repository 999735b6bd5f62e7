import { describe, expect, it } from 'vitest';

import { canAccessResource } from '../access.ts';

describe('fraud case access', () => {
  it('opens cases and decisions to compliance and admin', () => {
    for (const role of ['COMPLIANCE', 'ADMIN'] as const) {
      for (const action of ['list', 'show', 'decide']) {
        expect(canAccessResource(role, 'fraudCases', action), `${role} ${action}`).toBe(true);
      }
    }
  });

  it('hides cases from support', () => {
    for (const action of ['list', 'show', 'decide']) {
      expect(canAccessResource('SUPPORT', 'fraudCases', action), action).toBe(false);
    }
  });

  it('keeps traders out', () => {
    expect(canAccessResource('TRADER', 'fraudCases', 'list')).toBe(false);
    expect(canAccessResource(undefined, 'fraudCases', 'show')).toBe(false);
  });
});
