import { ForbiddenException } from '@nestjs/common';
import type { Principal } from '@ketenlink/auth';
import { isParticipating, type Participation } from '@ketenlink/consent';
import type { Actor } from '../domain/agreement';

/** The token roles that act in agreements, in the order an actor's role is chosen. */
export const ACTING_ROLES = [
  'probation-officer',
  'support-worker',
  'coordinator',
  'placement-officer',
] as const;

/**
 * The domain actor for a verified principal. A client acts as himself; staff act for their
 * organisation with their first acting role. A token holding `operator` never acts on client
 * data (metadata only, whatever else it holds).
 */
export function actorOf(principal: Principal): Actor {
  if (principal.kind === 'client') return { kind: 'client' };
  if (principal.kind !== 'organisation' || principal.roles.includes('operator')) {
    throw new ForbiddenException('This token may not act on agreements');
  }
  const role = ACTING_ROLES.find((r) => principal.roles.includes(r));
  if (!role) throw new ForbiddenException(`Requires role: ${ACTING_ROLES.join(' or ')}`);
  return { kind: 'staff', organisationId: principal.organisationId, role };
}

export function staffOf(principal: Principal): { organisationId: string; role: string } {
  const a = actorOf(principal);
  if (a.kind !== 'staff') throw new ForbiddenException('Only staff can do this');
  return { organisationId: a.organisationId, role: a.role };
}

/** Whether `organisationId` takes part in the trajectory now, in `role` when given. */
export function participatesNow(
  participations: readonly Participation[],
  organisationId: string,
  now: Date,
  role?: Participation['role'],
): boolean {
  return participations.some(
    (p) =>
      p.organisationId === organisationId && (!role || p.role === role) && isParticipating(p, now),
  );
}
