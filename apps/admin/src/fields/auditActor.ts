import { staffRoles } from '../access.ts';
import { roleChoices } from '../users/choices.ts';
import { shortId } from './dates.ts';

/** Label of an audit entry's actor, as the console shows it. */
export interface AuditActorLabel {
  /** The actor's display name, or "User" and the id's first characters when it is unknown. */
  name: string;
  /** Display name of the actor's role when it is a staff role, shown in parentheses. */
  staffRole: string | undefined;
}

/** Returns the display name of a staff role, or undefined for a trader, 'system' or no role. */
function staffRoleName(role: string | null): string | undefined {
  const staffRole = staffRoles.find((candidate) => candidate === role);

  return roleChoices.find((choice) => choice.id === staffRole)?.name;
}

/**
 * Labels the actor of an audit entry. An entry without an actor comes from a platform job and
 * returns null, which the console shows as "(System)". An entry with an actor is labelled with
 * the actor's name, plus the role only when the entry records a staff role. A trader's role adds
 * nothing, and a missing role (older entries) never turns into "System".
 */
export function labelAuditActor(
  entry: { actorId: string | null; actorRole: string | null },
  knownName: string | undefined,
): AuditActorLabel | null {
  if (entry.actorId === null) {
    return null;
  }

  return {
    name: knownName ?? `User ${shortId(entry.actorId)}`,
    staffRole: staffRoleName(entry.actorRole),
  };
}
