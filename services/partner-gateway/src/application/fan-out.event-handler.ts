import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { ANY_EVENT_TYPE, EventContext } from '@ketenlink/messaging';
import { FanOutService } from './fan-out.service';

/**
 * The types @ketenlink/trajectory-facts handles: an exact handler hides ANY_EVENT_TYPE, so the
 * fan-out names them too (it runs after the projection, HANDLER_ORDER, in the same transaction,
 * and so decides with the facts as they stand with this event, e.g. after a withdrawal).
 */
const FACT_TYPES = [
  'nl.ketenlink.organisation.registered.v1',
  'nl.ketenlink.organisation.changed.v1',
  'nl.ketenlink.trajectory.opened.v1',
  'nl.ketenlink.trajectory.participant-joined.v1',
  'nl.ketenlink.trajectory.participant-left.v1',
  'nl.ketenlink.trajectory.case-lead-transferred.v1',
  'nl.ketenlink.consent.granted.v1',
  'nl.ketenlink.consent.revoked.v1',
  'nl.ketenlink.title.registered.v1',
  'nl.ketenlink.title.changed.v1',
  'nl.ketenlink.title.ended.v1',
];

/**
 * Every event of every context topic: fan-out to the partners inside the inbox transaction, so
 * a redelivered event queues nothing twice (the inbox row and the queue rows commit together).
 */
@Controller()
export class FanOutEventHandler {
  constructor(private readonly fanOut: FanOutService) {}

  @EventPattern(FACT_TYPES)
  async onFact(@Ctx() ctx: EventContext): Promise<void> {
    await this.fanOut.onEvent(ctx.getTransaction(), ctx.getEvent());
  }

  @EventPattern(ANY_EVENT_TYPE)
  async onEvent(@Ctx() ctx: EventContext): Promise<void> {
    await this.fanOut.onEvent(ctx.getTransaction(), ctx.getEvent());
  }
}
