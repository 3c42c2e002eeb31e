import { randomUUID } from 'node:crypto';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { ANY_EVENT_TYPE, EventContext } from '@ketenlink/messaging';
import type { EntityManager } from 'typeorm';
import { calendarDate } from '@ketenlink/dates';
import { DomainError } from '../domain/errors';
import { TimelineStore } from './ports/timeline.store.port';
import { TrajectoryCommands } from './trajectory-commands.service';

/** The fields of `client.placed` this service reacts to (contracts/events/client.placed). */
interface ClientPlaced {
  trajectoryId: string;
  providerOrganisationId: string;
  movedInAt: string;
}

export const CLIENT_PLACED = 'nl.ketenlink.client.placed.v1';

/**
 * Every domain event of every service (all context topics), in the consumer's inbox
 * transaction: it is added to the trajectory's timeline; a move-in (`client.placed`) makes the
 * provider a participant. A redelivered event changes nothing (inbox + event id key).
 */
@Controller()
export class TrajectoryEventsHandler {
  private readonly logger = new Logger(TrajectoryEventsHandler.name);

  constructor(
    private readonly timeline: TimelineStore,
    private readonly commands: TrajectoryCommands,
  ) {}

  @EventPattern(ANY_EVENT_TYPE)
  async onEvent(@Ctx() ctx: EventContext): Promise<void> {
    const event = ctx.getEvent();
    const tx = ctx.getTransaction<EntityManager>();
    const position = ctx.getPosition() ?? { topic: 'unknown', partition: -1, offset: '-1' };
    await this.timeline.append(tx, event, position);
    if (event.type === CLIENT_PLACED) await this.onClientPlaced(tx, ctx);
  }

  private async onClientPlaced(tx: EntityManager, ctx: EventContext): Promise<void> {
    const event = ctx.getEvent();
    const data = event.data as ClientPlaced;
    try {
      const result = await this.commands.executeFromEvent(tx, data.trajectoryId, event, {
        type: 'join',
        input: {
          id: randomUUID(),
          organisationId: data.providerOrganisationId,
          role: 'provider',
          from: calendarDate(new Date(data.movedInAt)),
        },
      });
      if (!result) {
        this.logger.warn(`client.placed ${event.id} for a trajectory unknown here; not joined`);
      }
    } catch (err) {
      // Already the provider in that period (e.g. placed again after a short stay elsewhere
      // overlapping): the participation stands, nothing to add.
      if (err instanceof DomainError && err.code === 'participation-overlaps') {
        this.logger.log(`client.placed ${event.id}: provider already participates`);
        return;
      }
      // Not registered, not active or not a care provider: the registry decides who takes part;
      // the move-in stays on the timeline, the provider does not join (and is not told).
      if (err instanceof DomainError && err.kind === 'forbidden') {
        this.logger.warn(`client.placed ${event.id}: provider not joined (${err.code})`);
        return;
      }
      throw err;
    }
  }
}
