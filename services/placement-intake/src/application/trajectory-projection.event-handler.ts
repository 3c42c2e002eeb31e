import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { TrajectoryOpenedV1 } from '@ketenlink/contracts';
import { EventContext } from '@ketenlink/messaging';

/**
 * Keeps placement-intake's projection of trajectories (placement requests need a known
 * trajectory). Runs inside the consumer's inbox transaction: effect and inbox row commit together,
 * so a redelivered event changes nothing.
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
}
