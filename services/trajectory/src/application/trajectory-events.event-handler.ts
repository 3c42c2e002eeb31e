import { randomUUID } from 'node:crypto';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import type { ParticipantRole } from '@ketenlink/consent';
import type { HandoverCompletedV1 } from '@ketenlink/contracts';
import { ANY_EVENT_TYPE, type CloudEvent, EventContext } from '@ketenlink/messaging';
import type { EntityManager } from 'typeorm';
import { calendarDate, nextDate, startOfDay } from '@ketenlink/dates';
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
export const HANDOVER_COMPLETED = 'nl.ketenlink.handover.completed.v1';

/**
 * Every domain event of every service (all context topics), in the consumer's inbox
 * transaction: it is added to the trajectory's timeline; a move-in (`client.placed`) makes the
 * provider a participant; a completed handover (`handover.completed`) makes the receiving
 * organisation a participant and ends the sending one's participation after the agreed leave
 * date (R-HANDOVER: domain events add and end participants, nobody adds itself). Probation
 * learns of both through the participant events on the trajectory topic. A redelivered event
 * changes nothing (inbox + event id key).
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
    if (event.type === CLIENT_PLACED) {
      const data = event.data as ClientPlaced;
      await this.join(tx, event, data.trajectoryId, {
        organisationId: data.providerOrganisationId,
        role: 'provider',
        from: calendarDate(new Date(data.movedInAt)),
      });
    }
    if (event.type === HANDOVER_COMPLETED) await this.onHandoverCompleted(tx, event);
  }

  private async onHandoverCompleted(tx: EntityManager, event: CloudEvent): Promise<void> {
    const data = event.data as HandoverCompletedV1;
    await this.join(tx, event, data.trajectoryId, {
      organisationId: data.receivingOrganisationId,
      role: data.receivingRole,
      from: data.receiverJoinsOn,
    });
    // The agreed leave date is the sender's last day: its participation ends when the next
    // Amsterdam day begins (or earlier, when it was planned to end before that).
    const leaveAt = startOfDay(nextDate(data.senderLeavesOn));
    const now = new Date();
    await this.commands.executeFromEvent(tx, data.trajectoryId, event, (state) => {
      const p = state.participations.find(
        (x) =>
          x.organisationId === data.sendingOrganisationId &&
          x.role === data.sendingRole &&
          (x.until === undefined || x.until.getTime() > now.getTime()),
      );
      if (!p) {
        this.logger.log(`handover.completed ${event.id}: sender no longer participates`);
        return undefined;
      }
      const at = p.until && p.until.getTime() < leaveAt.getTime() ? p.until : leaveAt;
      return { type: 'leave', participationId: p.id, at };
    });
  }

  private async join(
    tx: EntityManager,
    event: CloudEvent,
    trajectoryId: string,
    input: { organisationId: string; role: ParticipantRole; from: string },
  ): Promise<void> {
    try {
      const result = await this.commands.executeFromEvent(tx, trajectoryId, event, {
        type: 'join',
        input: { id: randomUUID(), ...input },
      });
      if (!result) {
        this.logger.warn(`${event.type} ${event.id} for a trajectory unknown here; not joined`);
      }
    } catch (err) {
      // Already taking part in that role and period (e.g. placed again after a short stay
      // elsewhere overlapping): the participation stands, nothing to add.
      if (err instanceof DomainError && err.code === 'participation-overlaps') {
        this.logger.log(`${event.type} ${event.id}: ${input.role} already participates`);
        return;
      }
      // Not registered, not active or the role does not fit its kind: the registry decides who
      // takes part; the event stays on the timeline, the organisation does not join.
      if (err instanceof DomainError && err.kind === 'forbidden') {
        this.logger.warn(`${event.type} ${event.id}: not joined (${err.code})`);
        return;
      }
      throw err;
    }
  }
}
