import { randomUUID } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { buildCloudEvent, type CloudEvent } from '../src/envelope/cloud-event';
import type { TopicSpec } from '../src/kafka/kafka.port';

/** A table standing in for a service's state in the messaging tests. */
export class MessagingTestTables1763900000001 implements MigrationInterface {
  name = 'MessagingTestTables1763900000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE test_state (id uuid PRIMARY KEY, label text NOT NULL)`);
    await q.query(
      `CREATE TABLE test_effects (event_id uuid NOT NULL, subject text NOT NULL, at timestamptz DEFAULT now())`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE test_effects`);
    await q.query(`DROP TABLE test_state`);
  }
}

export function testTopic(prefix: string, partitions = 3): TopicSpec {
  return {
    name: `ketenlink.test.${prefix}-${randomUUID().slice(0, 8)}`,
    partitions,
    retentionMs: 3_600_000,
  };
}

/** A schema-valid trajectory.opened event (see contracts/events/trajectory.opened/v1). */
export function openedEvent(subject = randomUUID(), traceparent?: string): CloudEvent {
  return buildCloudEvent({
    type: 'nl.ketenlink.trajectory.opened.v1',
    source: 'test',
    subject,
    dataschema: 'https://schemas.ketenlink.nl/events/trajectory.opened/v1.schema.json',
    data: {
      trajectoryId: subject,
      openedAt: new Date().toISOString(),
      openedBy: { organisationId: 'org-zvh-test', role: 'coordinator' },
    },
    ...(traceparent ? { traceparent } : {}),
  });
}

/** A test event carrying a per-key sequence number, for ordering checks (not contract-bound). */
export function sequencedEvent(subject: string, n: number): CloudEvent {
  return buildCloudEvent({
    type: 'nl.ketenlink.test.sequenced.v1',
    source: 'test',
    subject,
    dataschema: 'https://schemas.ketenlink.nl/test',
    data: { n },
  });
}
