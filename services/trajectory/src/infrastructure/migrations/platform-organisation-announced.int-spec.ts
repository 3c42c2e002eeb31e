import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CONTEXT_TOPICS, MESSAGING_MIGRATIONS } from '@ketenlink/messaging';
import { createServiceDataSource, DatabaseModule, migrate } from '@ketenlink/persistence';
import { connectEventConsumer } from '@ketenlink/service-runtime';
import { createEmptyTestDatabase, waitFor } from '@ketenlink/testing';
import {
  ProjectedOrganisationDirectory,
  TRAJECTORY_FACTS_MIGRATIONS,
  TrajectoryFactsModule,
} from '@ketenlink/trajectory-facts';
import { DataSource } from 'typeorm';
import { TRAJECTORY_MIGRATIONS } from './index';

/**
 * The platform organisation `ketenlink` reaches the other services' projections: a trajectory
 * database migrated from nothing has its `organisation.registered` in the outbox exactly once
 * (PlatformOrganisationAnnounced1765200000000), and once the trajectory service runs, a service's
 * projection (libs/trajectory-facts, consuming the real topic) knows it and its registry guard
 * lets a `ketenlink` token through. Both databases are fresh: the shared test databases keep their
 * migration history and are emptied between files, which would take the event away.
 */
const REGISTERED = 'nl.ketenlink.organisation.registered.v1';

let trajectoryDb: DataSource;
let trajectory: INestApplication | undefined;
let projection: INestApplication | undefined;
let directory: ProjectedOrganisationDirectory;

async function outboxRowsOfPlatform(): Promise<{ id: string; published: boolean }[]> {
  return (await trajectoryDb.query(
    `SELECT id, published_at IS NOT NULL AS published FROM outbox
      WHERE type = $1 AND aggregateid = 'ketenlink'`,
    [REGISTERED],
  )) as { id: string; published: boolean }[];
}

beforeAll(async () => {
  const trajectoryUrl = await createEmptyTestDatabase('trajectory_fresh');
  const projectionUrl = await createEmptyTestDatabase('trajectory_fresh_projection');
  trajectoryDb = createServiceDataSource({
    service: 'trajectory',
    url: trajectoryUrl,
    entities: [],
    migrations: TRAJECTORY_MIGRATIONS,
  });
  await migrate(trajectoryDb);

  @Module({
    imports: [
      DatabaseModule.forRoot({
        service: 'facts-projection',
        url: projectionUrl,
        entities: [],
        migrations: [...MESSAGING_MIGRATIONS, ...TRAJECTORY_FACTS_MIGRATIONS],
      }),
      TrajectoryFactsModule.forRoot(),
    ],
  })
  class ProjectionModule {}
  const projectionDb = createServiceDataSource({
    service: 'facts-projection',
    url: projectionUrl,
    entities: [],
    migrations: [...MESSAGING_MIGRATIONS, ...TRAJECTORY_FACTS_MIGRATIONS],
  });
  await migrate(projectionDb);
  await projectionDb.destroy();
  projection = await NestFactory.create(ProjectionModule, { logger: false });
  await projection.init();
  const consumer = await connectEventConsumer(projection, {
    name: 'facts-projection',
    group: `platform-org-int-${randomUUID().slice(0, 8)}`,
    topics: [CONTEXT_TOPICS.trajectory],
  });
  await projection.startAllMicroservices();
  await waitFor(() => consumer.state() === 'running', { timeoutMs: 60_000, what: 'group joined' });
  directory = projection.get(ProjectedOrganisationDirectory);
}, 120_000);

afterAll(async () => {
  await trajectory?.close();
  await projection?.close();
  await trajectoryDb?.destroy();
});

describe('the platform organisation is announced (real Kafka and PostgreSQL)', () => {
  it('its organisation.registered is in the outbox once, also after a second migrate', async () => {
    const rows = await outboxRowsOfPlatform();
    expect(rows).toHaveLength(1);
    const [event] = (await trajectoryDb.query(
      `SELECT payload, headers->>'source' AS source, topic FROM outbox WHERE id = $1`,
      [rows[0]!.id],
    )) as { payload: unknown; source: string; topic: string }[];
    expect(event).toEqual({
      payload: {
        organisationId: 'ketenlink',
        kind: 'platform',
        identifiers: {},
        activeFrom: '2025-01-01',
      },
      source: 'trajectory',
      topic: CONTEXT_TOPICS.trajectory,
    });

    expect(await migrate(trajectoryDb)).toEqual([]);
    expect(await outboxRowsOfPlatform()).toHaveLength(1);
  });

  it("once the trajectory service runs, a service's projection knows ketenlink", async () => {
    const eventId = (await outboxRowsOfPlatform())[0]?.id;
    expect(eventId).toBeDefined();
    process.env.DATABASE_URL = (trajectoryDb.options as { url: string }).url;
    process.env.IDENTITY_ENCRYPTION_KEYS ??= `int:${randomBytes(32).toString('base64')}`;
    // Imported after DATABASE_URL is set: the module reads it when it is defined.
    const { TrajectoryAppModule } = await import('../../app.module');
    trajectory = await NestFactory.create(TrajectoryAppModule, { logger: false });
    await trajectory.init(); // its outbox relay starts here

    await waitFor(async () => (await outboxRowsOfPlatform())[0]?.published, {
      timeoutMs: 60_000,
      what: 'the relay published the platform organisation',
    });
    // This run's event, not one an earlier run left on the shared topic.
    const projected = await waitFor(
      async () => {
        const [row] = (await projection!
          .get(DataSource)
          .query(`SELECT source_event_id FROM facts_organisations WHERE organisation_id = $1`, [
            'ketenlink',
          ])) as { source_event_id: string }[];
        return row?.source_event_id === eventId ? row : undefined;
      },
      { timeoutMs: 60_000, what: 'ketenlink projected from this run' },
    );
    expect(projected).toBeDefined();
    expect(await directory.find('ketenlink')).toEqual({
      organisationId: 'ketenlink',
      kind: 'platform',
      identifiers: {},
      activeFrom: '2025-01-01',
    });
    expect(await directory.isActive('ketenlink', new Date())).toBe(true);
  });
});
