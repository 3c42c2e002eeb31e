/**
 * The shared client trajectory (DOMAIN.md §1). Plain TypeScript: no framework, no I/O.
 * A trajectory is known everywhere by its pseudonymous id only; identity stays in this service.
 */
export const OPENER_ROLES = ['referrer', 'coordinator'] as const;
export type OpenerRole = (typeof OPENER_ROLES)[number];

export interface Trajectory {
  readonly id: string;
  readonly openedAt: Date;
  readonly openedBy: {
    readonly organisationId: string;
    readonly role: OpenerRole;
    readonly subject: string;
  };
  readonly region?: string;
}

export interface TrajectoryOpenedV1Data {
  trajectoryId: string;
  openedAt: string;
  openedBy: { organisationId: string; role: OpenerRole };
  region?: string;
}

export type TrajectoryDomainEvent = {
  type: 'nl.ketenlink.trajectory.opened.v1';
  data: TrajectoryOpenedV1Data;
};

export interface OpenTrajectoryInput {
  readonly id: string;
  readonly now: Date;
  readonly organisationId: string;
  readonly role: OpenerRole;
  readonly subject: string;
  readonly region?: string;
}

export function openTrajectory(input: OpenTrajectoryInput): {
  trajectory: Trajectory;
  events: TrajectoryDomainEvent[];
} {
  const trajectory: Trajectory = {
    id: input.id,
    openedAt: input.now,
    openedBy: { organisationId: input.organisationId, role: input.role, subject: input.subject },
    ...(input.region ? { region: input.region } : {}),
  };
  const data: TrajectoryOpenedV1Data = {
    trajectoryId: trajectory.id,
    openedAt: trajectory.openedAt.toISOString(),
    // The person who opened it (subject) is not part of the event: only the organisation and role.
    openedBy: { organisationId: input.organisationId, role: input.role },
    ...(input.region ? { region: input.region } : {}),
  };
  return { trajectory, events: [{ type: 'nl.ketenlink.trajectory.opened.v1', data }] };
}

/** Only organisations taking part in a trajectory may see it at all (R-CONSENT, ARCHITECTURE §5). */
export function isVisibleTo(trajectory: Trajectory, organisationId: string): boolean {
  return trajectory.openedBy.organisationId === organisationId;
}
