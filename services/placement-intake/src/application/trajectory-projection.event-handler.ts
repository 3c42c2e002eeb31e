import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type {
  TrajectoryOpenedV1,
  TrajectoryParticipantJoinedV1,
  TrajectoryParticipantLeftV1,
} from '@ketenlink/contracts';
import { EventContext } from '@ketenlink/messaging';

/**
 * Keeps placement-intake's projections of trajectories and their participants (placement
 * requests need a known trajectory the referrer takes part in). Runs inside the consumer's inbox
 * transaction: effect and inbox row commit together, so a redelivered event changes nothing; the
 * SQL itself is also safe to repeat.
 */
@Controller()
export class TrajectoryProjectionEventHandler {
  @EventPattern('nl.ketenlink.trajectory.opened.v1')
  async onTrajectoryOpened(
    @Payload() data: TrajectoryOpenedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await ctx.getTransaction().query(
      `INSERT INTO known_trajectories (trajectory_id, opened_at, opened_by_org, region, source_event_id)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (trajectory_id) DO NOTHING`,
      [
        data.trajectoryId,
        data.openedAt,
        data.openedBy.organisationId,
        data.region ?? null,
        ctx.getEvent().id,
      ],
    );
  }

  /** One row per joined event (keyed by the event id): a repeat inserts nothing. */
  @EventPattern('nl.ketenlink.trajectory.participant-joined.v1')
  async onParticipantJoined(
    @Payload() data: TrajectoryParticipantJoinedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await ctx.getTransaction().query(
      `INSERT INTO trajectory_participants
         (source_event_id, trajectory_id, organisation_id, role, valid_from, valid_until)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_event_id) DO NOTHING`,
      [
        ctx.getEvent().id,
        data.trajectoryId,
        data.organisationId,
        data.role,
        data.from,
        data.until ?? null,
      ],
    );
  }

  /**
   * Closes the organisation's open participations in that role. A repeat of the same event
   * changes nothing, even after a later re-join (rows it already closed carry its id).
   */
  @EventPattern('nl.ketenlink.trajectory.participant-left.v1')
  async onParticipantLeft(
    @Payload() data: TrajectoryParticipantLeftV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await ctx.getTransaction().query(
      `UPDATE trajectory_participants
          SET left_at = $4, left_event_id = $5
        WHERE trajectory_id = $1 AND organisation_id = $2 AND role = $3 AND left_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM trajectory_participants WHERE left_event_id = $5)`,
      [data.trajectoryId, data.organisationId, data.role, data.at, ctx.getEvent().id],
    );
  }
}
