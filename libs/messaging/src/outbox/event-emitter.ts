import { schemaUriOf, validatePayload } from '@ketenlink/contracts';
import { currentTraceparent } from '@ketenlink/observability';
import { buildCloudEvent, type CloudEvent } from '../envelope/cloud-event';
import type { SqlExecutor } from '../sql';
import { topicForEventType } from '../topics/topics';
import { appendToOutbox } from './outbox-writer';

export class ContractViolationError extends Error {
  override readonly name = 'ContractViolationError';
  constructor(
    readonly eventType: string,
    readonly errors: readonly string[],
  ) {
    super(`event ${eventType} does not match its contract: ${errors.join('; ')}`);
  }
}

export interface EmitInput<T = unknown> {
  readonly type: string;
  /** The pseudonymous trajectory id: CloudEvents subject and Kafka key. */
  readonly subject: string;
  readonly data: T;
  /** The event this one follows from (same correlation id, causation = its id). */
  readonly cause?: Pick<CloudEvent, 'id' | 'correlationid'>;
  readonly correlationId?: string;
}

/**
 * The only way services emit events: contract-checked, enveloped, stamped with the active trace
 * and appended to the outbox in the caller's transaction. An event that does not match its
 * schema throws, which rolls the whole state change back: nothing off-contract ever leaves.
 */
export class EventEmitter {
  constructor(
    private readonly source: string,
    private readonly aggregateType: string,
  ) {}

  async emit(tx: SqlExecutor, inputs: readonly EmitInput[]): Promise<CloudEvent[]> {
    const events = inputs.map((input) => {
      const result = validatePayload(input.type, input.data);
      if (!result.ok) throw new ContractViolationError(input.type, result.errors);
      const correlationId = input.cause?.correlationid ?? input.correlationId;
      return buildCloudEvent({
        type: input.type,
        source: this.source,
        subject: input.subject,
        data: input.data,
        dataschema: schemaUriOf(input.type),
        ...(correlationId ? { correlationId } : {}),
        ...(input.cause ? { causationId: input.cause.id } : {}),
        ...(currentTraceparent() ? { traceparent: currentTraceparent() } : {}),
      });
    });
    await appendToOutbox(
      tx,
      events.map((event) => ({
        event,
        topic: topicForEventType(event.type),
        aggregateType: this.aggregateType,
      })),
    );
    return events;
  }
}
