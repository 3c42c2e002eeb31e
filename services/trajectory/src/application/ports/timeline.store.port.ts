import type { CloudEvent, RecordPosition, SqlExecutor } from '@ketenlink/messaging';
import type { TimelineEntry } from '../../domain/timeline';

/**
 * The timeline read model: one row per domain event, whatever service emitted it
 * (docs/adr/0014-persistence-style.md). Implemented with plain SQL in
 * infrastructure/timeline.store.ts.
 */
export abstract class TimelineStore {
  /** In the consumer's inbox transaction. Idempotent: an event already there changes nothing. */
  abstract append(tx: SqlExecutor, event: CloudEvent, position: RecordPosition): Promise<void>;

  /** A trajectory's entries in order: by event time, then by arrival. */
  abstract entriesOf(trajectoryId: string): Promise<TimelineEntry[]>;
}
