import { describe, expect, it } from 'vitest';

import { canAccessResource } from '../access.ts';

describe('parked event access', () => {
  it('opens the list and requeue to admin', () => {
    for (const action of ['list', 'requeue']) {
      expect(canAccessResource('ADMIN', 'parkedEvents', action), action).toBe(true);
    }
  });

  it('hides parked events from compliance and support', () => {
    for (const role of ['COMPLIANCE', 'SUPPORT'] as const) {
      for (const action of ['list', 'requeue']) {
        expect(canAccessResource(role, 'parkedEvents', action), `${role} ${action}`).toBe(false);
      }
    }
  });

  it('keeps traders and visitors out', () => {
    expect(canAccessResource('TRADER', 'parkedEvents', 'list')).toBe(false);
    expect(canAccessResource(undefined, 'parkedEvents', 'list')).toBe(false);
  });
});
