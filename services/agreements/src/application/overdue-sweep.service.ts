import { Injectable } from '@nestjs/common';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { detectAcknowledgementOverdue, detectReportOverdue } from '../domain/records';
import { RecordStore } from './ports/agreement.store.port';

/**
 * Durable overdue detection, the pattern of placement-intake's deadline sweep: due rows are
 * claimed with FOR UPDATE SKIP LOCKED, and the once-only flag (`overdue_reported_at`) commits in
 * the same transaction as the overdue event (outbox). So each item is reported exactly once, by
 * whichever instance claims it, also after a crash or restart (the state is in the database, not
 * in a timer).
 */
@Injectable()
export class OverdueSweepService {
  constructor(
    private readonly ds: DataSource,
    private readonly records: RecordStore,
    private readonly events: EventEmitter,
  ) {}

  /** Reports what is overdue at `now`; returns the number of events emitted. */
  async sweep(now = new Date(), batchSize = 100): Promise<number> {
    let emitted = 0;
    for (;;) {
      const batch = await this.ds.transaction(async (tx) => {
        let n = 0;
        const notifications = await this.records.lockOverdueNotifications(tx, now, batchSize);
        for (const item of notifications) {
          const r = detectAcknowledgementOverdue(item, now);
          if (r.events.length === 0) continue;
          await this.records.updateNotification(tx, r.notification);
          await this.events.emit(
            tx,
            r.events.map((e) => ({ type: e.type, subject: item.trajectoryId, data: e.data })),
          );
          n += r.events.length;
        }
        const incidents = await this.records.lockOverdueIncidents(tx, now, batchSize);
        for (const item of incidents) {
          const r = detectReportOverdue(item, now);
          if (r.events.length === 0) continue;
          await this.records.updateIncident(tx, r.incident);
          await this.events.emit(
            tx,
            r.events.map((e) => ({ type: e.type, subject: item.trajectoryId, data: e.data })),
          );
          n += r.events.length;
        }
        return { claimed: Math.max(notifications.length, incidents.length), n };
      });
      emitted += batch.n;
      if (batch.claimed < batchSize || batch.n === 0) return emitted;
    }
  }
}
