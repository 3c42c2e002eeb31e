import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { ANY_EVENT_TYPE, EventContext } from '@ketenlink/messaging';
import { FACT_EVENT_TYPES, FanOutService } from './fan-out.service';

/**
 * The types @ketenlink/trajectory-facts and the referral grants (ADR 0042) handle: an exact
 * handler hides ANY_EVENT_TYPE, so the fan-out names them too (it runs after the projections,
 * HANDLER_ORDER, in the same transaction, and so decides with the facts as they stand with this
 * event, e.g. after a withdrawal or with the placement request's own grant).
 */
const FACT_TYPES = [...FACT_EVENT_TYPES];

/**
 * Every event of every context topic: fan-out to the partners inside the inbox transaction, so
 * a redelivered event queues nothing twice (the inbox row and the queue rows commit together).
 */
@Controller()
export class FanOutEventHandler {
  constructor(private readonly fanOut: FanOutService) {}

  @EventPattern(FACT_TYPES)
  async onFact(@Ctx() ctx: EventContext): Promise<void> {
    await this.fanOut.onEvent(ctx.getTransaction(), ctx.getEvent(), new Date(), ctx.getScope());
  }

  @EventPattern(ANY_EVENT_TYPE)
  async onEvent(@Ctx() ctx: EventContext): Promise<void> {
    await this.fanOut.onEvent(ctx.getTransaction(), ctx.getEvent(), new Date(), ctx.getScope());
  }
}
