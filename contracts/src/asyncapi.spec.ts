import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';

import asyncApi3 from '@asyncapi/specs/schemas/3.0.0.json';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

import { CONTRACTS_DIR, EVENTS_DIR, readSchemaDir } from './schema-files';
import { topicOf } from './event-types';

interface Ref {
  readonly $ref: string;
}
interface Message {
  readonly name: string;
  readonly payload?: { readonly schemaFormat?: string; readonly schema?: Ref };
  readonly traits?: readonly Ref[];
}
interface Doc {
  readonly asyncapi: string;
  readonly servers: Record<string, { host: string; protocol: string }>;
  readonly channels: Record<string, { address: string; messages?: Record<string, Ref> }>;
  readonly components: {
    readonly messages: Record<string, Message>;
    readonly messageTraits: Record<
      string,
      {
        headers: { required: string[]; properties: Record<string, unknown> };
        bindings: { kafka: { key: { description: string } } };
      }
    >;
  };
}

const doc = parse(readFileSync(join(CONTRACTS_DIR, 'asyncapi.yaml'), 'utf8')) as Doc;
const schemas = readSchemaDir(EVENTS_DIR);

/** Every `$ref` value in the document. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function pointer(path: string): unknown {
  return path
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (n, key) =>
        (n as Record<string, unknown> | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
      doc,
    );
}

describe('contracts/asyncapi.yaml', () => {
  it('is a valid AsyncAPI 3.0 document', () => {
    // The bundled spec carries its own draft-07 meta-schema.
    const ajv = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false });
    addFormats(ajv);
    const validate = ajv.compile(asyncApi3 as object);
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(doc.asyncapi).toBe('3.0.0');
  });

  it('references every schema file, and only existing ones', () => {
    const fileRefs = refs(doc)
      .filter((r) => !r.startsWith('#'))
      .map((r) => normalize(r).replace(/^events\//, ''));
    expect([...new Set(fileRefs)].sort()).toEqual([...schemas.keys()].sort());
  });

  it('resolves every local reference', () => {
    const unresolved = refs(doc).filter((r) => r.startsWith('#/') && pointer(r) === undefined);
    expect(unresolved).toEqual([]);
  });

  it('names each event message after the ce_type of its schema and puts it on topicOf(type)', () => {
    const events = Object.entries(doc.components.messages).filter(([, m]) => m.payload?.schema);
    expect(events).toHaveLength(schemas.size);
    for (const [key, message] of events) {
      const file = normalize(message.payload!.schema!.$ref).replace(/^events\//, '');
      const type = schemas.get(file)!['x-event-type']!;
      expect({ key, name: message.name }).toEqual({ key, name: type });
      expect(message.payload!.schemaFormat).toBe('application/schema+json;version=draft-2020-12');
      expect(message.traits).toEqual([{ $ref: '#/components/messageTraits/CloudEventsBinary' }]);
      const carriers = Object.values(doc.channels)
        .filter((c) =>
          Object.values(c.messages ?? {}).some((r) => r.$ref === `#/components/messages/${key}`),
        )
        .map((c) => c.address);
      expect(carriers).toContain(topicOf(type));
      expect(carriers).toContain('ketenlink.partner.{organisationId}.v1');
    }
  });

  it('declares the topics, the local server and the CloudEvents binary-mode headers', () => {
    const addresses = Object.values(doc.channels)
      .map((c) => c.address)
      .sort();
    // One channel per topic that carries events, plus the partner and dead-letter channels.
    const eventTopics = new Set([...schemas.values()].map((s) => topicOf(s['x-event-type']!)));
    expect(addresses).toEqual(
      [
        'ketenlink.dlq.{consumerGroup}.v1',
        'ketenlink.partner.{organisationId}.v1',
        ...eventTopics,
      ].sort(),
    );
    expect(addresses).toContain('ketenlink.agreements.v1');
    expect(Object.values(doc.servers)).toEqual([
      expect.objectContaining({ host: '127.0.0.1:9092', protocol: 'kafka' }),
    ]);
    const trait = doc.components.messageTraits.CloudEventsBinary!;
    expect(Object.keys(trait.headers.properties)).toEqual(
      expect.arrayContaining([
        'ce_id',
        'ce_source',
        'ce_type',
        'ce_subject',
        'ce_time',
        'ce_specversion',
        'ce_dataschema',
        'ce_correlationid',
        'ce_causationid',
        'ce_traceparent',
        'content-type',
      ]),
    );
    expect(trait.headers.required).not.toContain('ce_causationid');
    expect(trait.bindings.kafka.key.description).toMatch(/trajectory id/);
  });
});
