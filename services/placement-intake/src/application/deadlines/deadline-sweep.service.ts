import { Injectable } from '@nestjs/common';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { detectOverdue } from '../../domain/placement';
import { calendarDate } from '@ketenlink/dates';
import { PlacementStore } from '../ports/placement.store.port';

/**
 * Deadline detection (R-IFZO-5D answer, R-INTAKE-24H crucial information). Idempotent: the
 * "reported" flag and the overdue event commit in one transaction, so each is emitted once, also
 * with several instances sweeping (rows are claimed with SKIP LOCKED).
 */
@Injectable()
export class DeadlineSweepService {
  constructor(
    private readonly ds: DataSource,
    private readonly placements: PlacementStore,
    private readonly events: EventEmitter,
  ) {}

  /** Reports what is overdue at `now`; returns the number of events emitted. */
  async sweep(now = new Date(), batchSize = 100): Promise<number> {
    let emitted = 0;
    for (;;) {
      const batch = await this.ds.transaction(async (tx) => {
        const due = await this.placements.lockPossiblyOverdue(
          tx,
          calendarDate(now),
          now,
          batchSize,
        );
        let n = 0;
        for (const p of due) {
          const { placement, events } = detectOverdue(p, now);
          if (events.length === 0) continue;
          await this.placements.update(tx, placement);
          await this.events.emit(
            tx,
            events.map((e) => ({ type: e.type, subject: p.trajectoryId, data: e.data })),
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
