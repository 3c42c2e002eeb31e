import { Injectable } from '@nestjs/common';
import type { CloudEvent, RecordPosition, SqlExecutor } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { TimelineStore } from '../application/ports/timeline.store.port';
import type { TimelineEntry } from '../domain/timeline';

/** The timeline read model: one row per domain event, whatever service emitted it. */
@Injectable()
export class SqlTimelineStore extends TimelineStore {
  constructor(private readonly ds: DataSource) {
    super();
  }

  /** Idempotent: an event already projected changes nothing. */
  async append(tx: SqlExecutor, event: CloudEvent, position: RecordPosition): Promise<void> {
    await tx.query(
      `INSERT INTO timeline_entries (event_id, trajectory_id, type, source, event_time, data, topic,
         kafka_partition, kafka_offset)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (event_id) DO NOTHING`,
      [
        event.id,
        event.subject,
        event.type,
        event.source,
        event.time,
        JSON.stringify(event.data),
        position.topic,
        position.partition,
        position.offset,
      ],
    );
  }

  /** In order: by event time, then by arrival. */
  async entriesOf(trajectoryId: string): Promise<TimelineEntry[]> {
    const rows = (await this.ds.query(
      `SELECT event_id, type, source, event_time, data FROM timeline_entries
       WHERE trajectory_id = $1 ORDER BY event_time, seq`,
      [trajectoryId],
    )) as Record<string, unknown>[];
    return rows.map((r) => ({
      eventId: String(r.event_id),
      type: String(r.type),
      source: String(r.source),
      time: (r.event_time as Date).toISOString(),
      data: r.data as Record<string, unknown>,
    }));
  }
}
