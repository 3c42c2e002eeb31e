import { randomUUID } from 'node:crypto';

/**
 * CloudEvents 1.0 envelope (docs/adr/0003-outbox-inbox.md, contracts/README.md).
 * `subject` is always the pseudonymous trajectory id, and it is the Kafka key too.
 */
export interface CloudEvent<T = unknown> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly dataschema: string;
  readonly datacontenttype: 'application/json';
  readonly correlationid: string;
  readonly causationid?: string;
  readonly traceparent?: string;
  readonly tracestate?: string;
  /** Extension attributes used on partner deliveries (legal basis, consent reference). */
  readonly extensions?: Readonly<Record<string, string>>;
  readonly data: T;
}

export interface NewEvent<T = unknown> {
  readonly type: string;
  readonly source: string;
  readonly subject: string;
  readonly data: T;
  readonly dataschema: string;
  readonly correlationId?: string;
  readonly causationId?: string;
  readonly traceparent?: string;
  readonly id?: string;
  readonly time?: Date;
}

/** Builds the envelope. The correlation id defaults to the event's own id (a new conversation). */
export function buildCloudEvent<T>(input: NewEvent<T>): CloudEvent<T> {
  const id = input.id ?? randomUUID();
  return {
    specversion: '1.0',
    id,
    source: input.source,
    type: input.type,
    subject: input.subject,
    time: (input.time ?? new Date()).toISOString(),
    dataschema: input.dataschema,
    datacontenttype: 'application/json',
    correlationid: input.correlationId ?? id,
    ...(input.causationId ? { causationid: input.causationId } : {}),
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
    data: input.data,
  };
}

/** The envelope for an event caused by `cause`: same correlation id, causation = cause's id. */
export function causedBy(cause: Pick<CloudEvent, 'id' | 'correlationid'>): {
  correlationId: string;
  causationId: string;
} {
  return { correlationId: cause.correlationid, causationId: cause.id };
}
