import type { CloudEvent } from './cloud-event';

/**
 * CloudEvents Kafka protocol binding, binary content mode: attributes in `ce_*` headers,
 * the data as the JSON message value, key = subject (trajectory id).
 */
export interface KafkaRecord {
  readonly key: string;
  readonly value: Buffer;
  readonly headers: Record<string, string>;
}

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

const REQUIRED = ['id', 'source', 'type', 'subject', 'time', 'specversion'] as const;
const KNOWN = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'dataschema',
  'correlationid',
  'causationid',
  'traceparent',
  'tracestate',
]);

export function toKafkaRecord(event: CloudEvent): KafkaRecord {
  const headers: Record<string, string> = {
    ce_specversion: event.specversion,
    ce_id: event.id,
    ce_source: event.source,
    ce_type: event.type,
    ce_subject: event.subject,
    ce_time: event.time,
    ce_dataschema: event.dataschema,
    ce_correlationid: event.correlationid,
    'content-type': event.datacontenttype,
  };
  if (event.causationid) headers.ce_causationid = event.causationid;
  if (event.traceparent) headers.ce_traceparent = event.traceparent;
  if (event.tracestate) headers.ce_tracestate = event.tracestate;
  for (const [k, v] of Object.entries(event.extensions ?? {})) headers[`ce_${k}`] = v;
  return { key: event.subject, value: Buffer.from(JSON.stringify(event.data)), headers };
}

export type RawHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;

export function headerString(headers: RawHeaders, name: string): string | undefined {
  const v = headers[name];
  if (v === undefined) return undefined;
  const one = Array.isArray(v) ? v[v.length - 1] : v;
  return one === undefined ? undefined : one.toString();
}

/** All headers as strings (last value wins), leaving out those whose name matches `omit`. */
export function stringHeaders(headers: RawHeaders, omit?: RegExp): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    if (omit?.test(name)) continue;
    const v = headerString(headers, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** Decodes a binary-mode record; throws MalformedEventError with the reason when it is not one. */
export function fromKafkaRecord(
  key: Buffer | string | null,
  value: Buffer | null,
  headers: RawHeaders,
): CloudEvent {
  const attrs: Record<string, string> = {};
  const extensions: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    if (!name.startsWith('ce_')) continue;
    const attr = name.slice(3);
    const val = headerString(headers, name);
    if (val === undefined) continue;
    if (KNOWN.has(attr)) attrs[attr] = val;
    else extensions[attr] = val;
  }
  const missing = REQUIRED.filter((a) => !attrs[a]);
  if (missing.length)
    throw new MalformedEventError(`missing CloudEvents attributes: ${missing.join(', ')}`);
  if (attrs.specversion !== '1.0')
    throw new MalformedEventError(`unsupported specversion ${attrs.specversion}`);
  if (Number.isNaN(Date.parse(attrs.time!)))
    throw new MalformedEventError(`ce_time is not a timestamp`);
  const contentType = headerString(headers, 'content-type') ?? 'application/json';
  if (!contentType.startsWith('application/json')) {
    throw new MalformedEventError(`unsupported content-type ${contentType}`);
  }
  if (key !== null && key.toString() !== attrs.subject) {
    throw new MalformedEventError('message key differs from ce_subject');
  }
  if (value === null) throw new MalformedEventError('empty message value');
  let data: unknown;
  try {
    data = JSON.parse(value.toString('utf8'));
  } catch {
    throw new MalformedEventError('message value is not valid JSON');
  }
  return {
    specversion: '1.0',
    id: attrs.id!,
    source: attrs.source!,
    type: attrs.type!,
    subject: attrs.subject!,
    time: attrs.time!,
    dataschema: attrs.dataschema ?? '',
    datacontenttype: 'application/json',
    correlationid: attrs.correlationid ?? attrs.id!,
    ...(attrs.causationid ? { causationid: attrs.causationid } : {}),
    ...(attrs.traceparent ? { traceparent: attrs.traceparent } : {}),
    ...(attrs.tracestate ? { tracestate: attrs.tracestate } : {}),
    ...(Object.keys(extensions).length ? { extensions } : {}),
    data,
  };
}
