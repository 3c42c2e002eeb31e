import { Controller } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { EventContext, HANDLER_ORDER } from '@ketenlink/messaging';
import { REFERRAL_EVENT_TYPES, referralChangeOf } from '../domain/referral-grants';
import { ReferralGrantStore } from './ports/referral-grants.port';

/**
 * Projects the referral grants from the placement events (ADR 0042) in the inbox transaction:
 * after the trajectory facts (-100) and before the fan-out (0) of the same event, so the
 * placement request is decided with its own grant and a withdrawal or refusal with the grant
 * ended. The fan-out names these types too (an exact handler hides ANY_EVENT_TYPE).
 */
@Controller()
export class ReferralGrantsEventHandler {
  constructor(private readonly grants: ReferralGrantStore) {}

  @EventPattern([...REFERRAL_EVENT_TYPES], { [HANDLER_ORDER]: -50 })
  async onPlacement(@Ctx() ctx: EventContext): Promise<void> {
    const e = ctx.getEvent();
    const change = referralChangeOf(e.type, e.data);
    if (change) await this.grants.apply(ctx.getTransaction(), change);
  }
}
