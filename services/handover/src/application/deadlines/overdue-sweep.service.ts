import { Injectable } from '@nestjs/common';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { detectOverdue } from '../../domain/handover';
import { HandoverStore } from '../ports/handover.store.port';

/**
 * An unanswered request raises handover.overdue after the configured time (as placement-intake's
 * deadline sweep). Idempotent: the "notified" mark and the event commit in one transaction, so
 * each is emitted once, also with several instances sweeping (rows claimed with SKIP LOCKED).
 */
@Injectable()
export class OverdueSweepService {
  constructor(
    private readonly ds: DataSource,
    private readonly handovers: HandoverStore,
    private readonly events: EventEmitter,
  ) {}

  /** Reports what is overdue at `now`; returns the number of events emitted. */
  async sweep(now = new Date(), batchSize = 100): Promise<number> {
    let emitted = 0;
    for (;;) {
      const batch = await this.ds.transaction(async (tx) => {
        const due = await this.handovers.lockOverdue(tx, now, batchSize);
        let n = 0;
        for (const h of due) {
          const { handover, events } = detectOverdue(h, now);
          if (events.length === 0) continue;
          await this.handovers.update(tx, handover);
          await this.events.emit(
            tx,
            events.map((e) => ({ type: e.type, subject: h.trajectoryId, data: e.data })),
          );
          n += events.length;
        }
        return { claimed: due.length, n };
      });
      emitted += batch.n;
      if (batch.claimed < batchSize) return emitted;
    }
  }
}
