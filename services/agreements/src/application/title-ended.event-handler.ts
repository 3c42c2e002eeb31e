import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { TitleEndedV1 } from '@ketenlink/contracts';
import { EventContext, EventEmitter } from '@ketenlink/messaging';
import { terminate } from '../domain/agreement';
import { AGREEMENT_FACTS, type AgreementFactsPort } from './facts.port';
import { AgreementStore } from './ports/agreement.store.port';

/**
 * Lifecycle: when the trajectory's last legal title ends, its open agreement ends with reason
 * `title-ended` (on the title's end date). Runs in the consumer's inbox transaction after the
 * facts projection took the same event (HANDLER_ORDER), so `titlesOf(…, tx)` already shows the
 * end; a redelivered event finds the agreement terminated and changes nothing.
 */
@Controller()
export class TitleEndedEventHandler {
  constructor(
    private readonly agreements: AgreementStore,
    @Inject(AGREEMENT_FACTS) private readonly facts: AgreementFactsPort,
    private readonly events: EventEmitter,
  ) {}

  @EventPattern('nl.ketenlink.title.ended.v1')
  async onTitleEnded(@Payload() data: TitleEndedV1, @Ctx() ctx: EventContext): Promise<void> {
    const tx = ctx.getTransaction();
    const titles = await this.facts.titlesOf(data.trajectoryId, tx);
    if (titles.some((t) => t.endedOn === undefined)) return; // another title still runs
    const open = await this.agreements.openOf(data.trajectoryId, tx);
    if (!open) return;
    const r = terminate(
      open,
      { reason: 'title-ended', on: data.endedOn, explanation: 'The legal title ended.' },
      new Date(ctx.getEvent().time),
    );
    await this.agreements.update(tx, r.agreement, open.revision);
    await this.events.emit(
      tx,
      r.events.map((e) => ({ type: e.type, subject: data.trajectoryId, data: e.data })),
    );
  }
}
