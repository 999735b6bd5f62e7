import { describe, expect, it } from 'vitest';

import { canAccessResource } from '../access.ts';

describe('transfer review access', () => {
  it('opens the queue and its decisions to support and admin', () => {
    for (const role of ['SUPPORT', 'ADMIN'] as const) {
      for (const action of ['list', 'show', 'decide']) {
        expect(canAccessResource(role, 'transferReviews', action), `${role} ${action}`).toBe(true);
      }
    }
  });

  it('hides the queue from compliance', () => {
    for (const action of ['list', 'show', 'decide']) {
      expect(canAccessResource('COMPLIANCE', 'transferReviews', action), action).toBe(false);
    }
  });

  it('keeps traders out', () => {
    expect(canAccessResource('TRADER', 'transferReviews', 'list')).toBe(false);
  });
});
