import { describe, expect, it } from 'vitest';

import { labelAuditActor } from './auditActor.ts';

const actorId = '3f2a9c1e-6b0d-4c8e-9a51-2d7f0e4b8c63';

describe('labelAuditActor', () => {
  it('returns null for a platform job', () => {
    expect(labelAuditActor({ actorId: null, actorRole: 'system' }, undefined)).toBeNull();
    expect(labelAuditActor({ actorId: null, actorRole: null }, undefined)).toBeNull();
  });

  it('shows a trader by name alone', () => {
    const label = labelAuditActor({ actorId, actorRole: 'TRADER' }, 'Web B');

    expect(label).toEqual({ name: 'Web B', staffRole: undefined });
  });

  it('shows an actor without a role by name alone', () => {
    const label = labelAuditActor({ actorId, actorRole: null }, 'Web B');

    expect(label).toEqual({ name: 'Web B', staffRole: undefined });
  });

  it('ignores the system role when an actor is named', () => {
    const label = labelAuditActor({ actorId, actorRole: 'system' }, 'Web B');

    expect(label).toEqual({ name: 'Web B', staffRole: undefined });
  });

  it('adds each staff role', () => {
    const cases = [
      ['COMPLIANCE', 'Compliance'],
      ['SUPPORT', 'Support'],
      ['ADMIN', 'Admin'],
    ] as const;
    for (const [role, roleName] of cases) {
      const label = labelAuditActor({ actorId, actorRole: role }, 'Agent Ada');

      expect(label, role).toEqual({ name: 'Agent Ada', staffRole: roleName });
    }
  });

  it('falls back to a short id without a name', () => {
    const label = labelAuditActor({ actorId, actorRole: 'SUPPORT' }, undefined);

    expect(label).toEqual({ name: 'User 3f2a9c1e', staffRole: 'Support' });
  });
});
