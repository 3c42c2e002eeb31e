import { Injectable } from '@nestjs/common';
import type { ParticipantRole } from '@ketenlink/consent';
import type { TrajectoryFacts } from '@ketenlink/disclosure';
import { DataSource, type EntityManager } from 'typeorm';
import { TrajectoryFactsSource } from '../application/ports/trajectory-facts.port';
import type { ProjectedParticipant } from '../application/participants';

/** Participations from the schedule facts' projection (trajectory.participant-joined/left). */
@Injectable()
export class ProjectedTrajectoryFacts extends TrajectoryFactsSource {
  constructor(private readonly ds: DataSource) {
    super();
  }

  async factsOf(trajectoryId: string, tx?: EntityManager): Promise<TrajectoryFacts | undefined> {
    const [row] = (await (tx ?? this.ds).query(
      `SELECT facts -> 'participants' AS participants FROM schedule_facts WHERE trajectory_id = $1`,
      [trajectoryId],
    )) as { participants: ProjectedParticipant[] | null }[];
    if (!row) return undefined;
    return {
      trajectoryId,
      participations: (row.participants ?? []).map((p) => ({
        organisationId: p.organisationId,
        role: p.role as ParticipantRole,
        from: new Date(p.from),
        ...(p.until ? { until: new Date(p.until) } : {}),
      })),
      consents: [],
    };
  }
}
