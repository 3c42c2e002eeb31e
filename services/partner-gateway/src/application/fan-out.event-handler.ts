import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { ANY_EVENT_TYPE, EventContext } from '@ketenlink/messaging';
import { FanOutService } from './fan-out.service';

/**
 * Every event of every context topic: fan-out to the partners inside the inbox transaction, so
 * a redelivered event queues nothing twice (the inbox row and the queue rows commit together).
 */
@Controller()
export class FanOutEventHandler {
  constructor(private readonly fanOut: FanOutService) {}

  @EventPattern(ANY_EVENT_TYPE)
  async onEvent(@Ctx() ctx: EventContext): Promise<void> {
    await this.fanOut.onEvent(ctx.getTransaction(), ctx.getEvent());
  }
}
