import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type {
  TrajectoryOpenedV1,
  TrajectoryParticipantJoinedV1,
  TrajectoryParticipantLeftV1,
} from '@ketenlink/contracts';
import { EventContext } from '@ketenlink/messaging';
import { KnownTrajectoriesStore } from './ports/known-trajectories.store.port';

/**
 * Keeps placement-intake's projections of trajectories and their participants (placement
 * requests need a known trajectory the referrer takes part in). Runs inside the consumer's inbox
 * transaction: effect and inbox row commit together, so a redelivered event changes nothing; each
 * write of the store is also safe to repeat.
 */
@Controller()
export class TrajectoryProjectionEventHandler {
  constructor(private readonly trajectories: KnownTrajectoriesStore) {}

  @EventPattern('nl.ketenlink.trajectory.opened.v1')
  async onTrajectoryOpened(
    @Payload() data: TrajectoryOpenedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.trajectories.recordOpened(
      ctx.getTransaction(),
      {
        trajectoryId: data.trajectoryId,
        openedAt: data.openedAt,
        openedByOrganisationId: data.openedBy.organisationId,
        region: data.region,
      },
      ctx.getEvent().id,
    );
  }

  @EventPattern('nl.ketenlink.trajectory.participant-joined.v1')
  async onParticipantJoined(
    @Payload() data: TrajectoryParticipantJoinedV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.trajectories.recordJoined(
      ctx.getTransaction(),
      {
        trajectoryId: data.trajectoryId,
        organisationId: data.organisationId,
        role: data.role,
        from: data.from,
        until: data.until,
      },
      ctx.getEvent().id,
    );
  }

  @EventPattern('nl.ketenlink.trajectory.participant-left.v1')
  async onParticipantLeft(
    @Payload() data: TrajectoryParticipantLeftV1,
    @Ctx() ctx: EventContext,
  ): Promise<void> {
    await this.trajectories.recordLeft(
      ctx.getTransaction(),
      {
        trajectoryId: data.trajectoryId,
        organisationId: data.organisationId,
        role: data.role,
        at: data.at,
      },
      ctx.getEvent().id,
    );
  }
}
