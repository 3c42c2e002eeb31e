import type { CloudEvent, SqlExecutor } from '@ketenlink/messaging';
import type { Delivery } from '../../domain/fan-out';

export interface AuditEntry {
  readonly organisationId: string;
  readonly channelKind: 'topic' | 'webhook' | 'pull' | 'none';
  readonly channelId?: string;
  readonly deliveryId?: string;
  readonly eventId?: string;
  readonly eventType?: string;
  readonly trajectoryId: string;
  readonly outcome: 'queued' | 'delivered' | 'failed' | 'dead-lettered' | 'withheld' | 'pulled';
  readonly attempt?: number;
  readonly categories?: readonly string[];
  readonly legalBasis?: string;
  readonly legalBases?: Readonly<Record<string, string>>;
  readonly consentRefs?: readonly string[];
  readonly replayId?: string;
  readonly detail?: string;
  /** The trace the entry belongs to (null: none), when written later than it was decided. */
  readonly traceparent?: string | null;
}

/** One partner copy to queue (see DeliveryStore.enqueueMany). */
export interface QueuedDelivery {
  readonly copy: CloudEvent;
  readonly delivery: Pick<
    Delivery,
    'organisationId' | 'channel' | 'categories' | 'legalBasis' | 'consentRefs' | 'bases'
  >;
  readonly replayId?: string;
  /** The trace it was decided in (null: none), when written later than it was decided. */
  readonly traceparent?: string | null;
}

/** A retraction to record (one per recipient and consent record). */
export interface NewRetraction {
  readonly id: string;
  readonly organisationId: string;
  readonly trajectoryId: string;
  readonly consentId: string;
  readonly categories: readonly string[];
  readonly withdrawnAt: string;
  readonly issuedAt: Date;
}

/**
 * A partner topic copy still waiting in the outbox that no relay is sending (unpublished, no
 * live lease; parked or backing off included), with the event it was decided from.
 */
export interface WaitingTopicCopy {
  readonly seq: string;
  /** The outbox row id: the copy's delivery id in the audit. */
  readonly rowId: string;
  /** The ordering key, `<partner>:<trajectory>`. */
  readonly orderingKey: string;
  /** The consumed event, as kept in gateway_events. */
  readonly event: CloudEvent;
  /** The copy as queued: its attributes (with `extensions`) and its payload. */
  readonly headers: Readonly<Record<string, unknown>> & {
    readonly extensions?: Readonly<Record<string, string>>;
  };
  readonly payload: unknown;
  readonly traceparent: string | null;
}

/** A waiting topic copy narrowed: its new payload and attributes. */
export interface RewrittenTopicCopy {
  readonly seq: string;
  readonly payload: unknown;
  readonly headers: Readonly<Record<string, unknown>>;
}

export interface StoredEvent {
  readonly seq: string;
  readonly envelope: CloudEvent;
}

/** The gateway's event copy, delivery queues and audit (SQL behind a port). */
export abstract class DeliveryStore {
  /** Keeps the consumed event (pull, replay); false when it was there already. */
  abstract recordEvent(tx: SqlExecutor, event: CloudEvent): Promise<boolean>;
  /** Queues one partner copy on its channel (topic: the outbox; webhook: the webhook queue). */
  abstract enqueue(
    tx: SqlExecutor,
    copy: CloudEvent,
    delivery: QueuedDelivery['delivery'],
    replayId?: string,
  ): Promise<string>;
  /** Queues many copies in a few multi-row statements, in the order given; their ids. */
  abstract enqueueMany(tx: SqlExecutor, items: readonly QueuedDelivery[]): Promise<string[]>;
  abstract audit(tx: SqlExecutor | undefined, entry: AuditEntry): Promise<void>;
  abstract auditMany(tx: SqlExecutor | undefined, entries: readonly AuditEntry[]): Promise<void>;
  /**
   * Runs `update` (one UPDATE statement, no RETURNING; its parameters $1…) and writes the audit
   * entry, in ONE statement; whether the update changed a row. The entry is written either way:
   * the attempt it records happened (a dispatcher whose lease was taken over still sent).
   */
  abstract updateAudited(
    update: { readonly sql: string; readonly params: readonly unknown[] },
    entry: AuditEntry,
  ): Promise<boolean>;
  abstract event(eventId: string): Promise<StoredEvent | undefined>;
  abstract eventsOf(trajectoryId: string): Promise<StoredEvent[]>;
  /** Events from an event id (inclusive) or a time, in consumption order, at most `limit`. */
  abstract eventsFrom(
    from: { eventId?: string; time?: Date },
    limit: number,
    tx?: SqlExecutor,
  ): Promise<StoredEvent[]>;
  /**
   * The waiting topic copies of the given ordering keys, oldest first, locked for the
   * transaction (a relay's claim skips them meanwhile, and holds the rest of their key).
   */
  abstract waitingTopicCopies(
    tx: SqlExecutor,
    orderingKeys: readonly string[],
  ): Promise<WaitingTopicCopy[]>;
  /** Rewrites waiting topic copies in place (same seq: same order) and removes others. */
  abstract redecideTopicCopies(
    tx: SqlExecutor,
    rewritten: readonly RewrittenTopicCopy[],
    removed: readonly string[],
  ): Promise<void>;
  /** Organisations that were sent something relying on the consent record. */
  abstract recipientsRelyingOn(tx: SqlExecutor, consentId: string): Promise<string[]>;
  /**
   * Records the retractions in one statement; the ids of those that are new (one per
   * organisation and consent record: a repeated withdrawal retracts nothing twice).
   */
  abstract recordRetractions(tx: SqlExecutor, items: readonly NewRetraction[]): Promise<string[]>;
}
