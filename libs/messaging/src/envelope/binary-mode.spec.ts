import { fromKafkaRecord, MalformedEventError, toKafkaRecord } from './binary-mode';
import { buildCloudEvent } from './cloud-event';

const event = buildCloudEvent({
  type: 'nl.ketenlink.trajectory.opened.v1',
  source: 'trajectory',
  subject: '2f0a6c1e-8b1d-4c55-9a39-0a7a4c1f1a11',
  dataschema: 'https://schemas.ketenlink.nl/events/trajectory.opened/v1.schema.json',
  data: { trajectoryId: '2f0a6c1e-8b1d-4c55-9a39-0a7a4c1f1a11' },
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  causationId: '5b9e1d9c-7f0f-4a8e-9d1e-1d3f2c4b5a69',
});

describe('CloudEvents Kafka binary mode', () => {
  it('puts attributes in ce_ headers, data in the value and the subject in the key', () => {
    const r = toKafkaRecord(event);
    expect(r.key).toBe(event.subject);
    expect(JSON.parse(r.value.toString())).toEqual(event.data);
    expect(r.headers).toMatchObject({
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: event.type,
      ce_subject: event.subject,
      ce_correlationid: event.id,
      ce_causationid: event.causationid,
      ce_traceparent: event.traceparent,
      'content-type': 'application/json',
    });
  });

  it('round-trips, header values arriving as Buffers as kafkajs delivers them', () => {
    const r = toKafkaRecord({ ...event, extensions: { legalbasis: 'legal-duty' } });
    const headers = Object.fromEntries(
      Object.entries(r.headers).map(([k, v]) => [k, Buffer.from(v)]),
    );
    const back = fromKafkaRecord(Buffer.from(r.key), r.value, headers);
    expect(back).toEqual({ ...event, extensions: { legalbasis: 'legal-duty' } });
  });

  it.each([
    ['no CloudEvents headers', () => fromKafkaRecord(null, Buffer.from('{}'), {})],
    [
      'a value that is not JSON',
      () => {
        const r = toKafkaRecord(event);
        return fromKafkaRecord(r.key, Buffer.from('{not json'), r.headers);
      },
    ],
    [
      'a key that differs from the subject',
      () => {
        const r = toKafkaRecord(event);
        return fromKafkaRecord('another-key', r.value, r.headers);
      },
    ],
    [
      'a wrong specversion',
      () => {
        const r = toKafkaRecord(event);
        return fromKafkaRecord(r.key, r.value, { ...r.headers, ce_specversion: '0.3' });
      },
    ],
    [
      'a time that is no timestamp',
      () => {
        const r = toKafkaRecord(event);
        return fromKafkaRecord(r.key, r.value, { ...r.headers, ce_time: 'yesterday' });
      },
    ],
  ])('rejects %s as malformed', (_what, decode) => {
    expect(decode).toThrow(MalformedEventError);
  });
});
