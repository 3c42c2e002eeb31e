import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttpEdge } from '@ketenlink/http';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase } from '@ketenlink/testing';
import type { CloudEvent } from '@ketenlink/messaging';
import {
  applyTrajectoryFacts,
  TrajectoryFactsEventHandler,
  trajectoryFactEvent,
  trajectoryFactEvents,
  type TrajectoryFactEventType,
} from '@ketenlink/trajectory-facts';
import type { EventPayloads } from '@ketenlink/contracts';
import { DataSource } from 'typeorm';
import { PLACEMENT_INTAKE_MIGRATIONS } from '../infrastructure/migrations';

/**
 * The trajectory's facts for placement-intake's int tests, through the shared projection's own
 * handler (@ketenlink/trajectory-facts), each event in its own transaction as the consumer runs
 * it. The flow through real Kafka is tested in placements.facts.int-spec.ts.
 */
export async function feed(app: INestApplication, events: readonly CloudEvent[]): Promise<void> {
  await applyTrajectoryFacts(app.get(TrajectoryFactsEventHandler), app.get(DataSource), events);
}

/** One trajectory-topic event (schema-validated) into the projection. */
export async function deliverFact<T extends TrajectoryFactEventType>(
  app: INestApplication,
  type: T,
  data: EventPayloads[T],
): Promise<void> {
  await feed(app, [trajectoryFactEvent(type, data)]);
}

/** Registers organisations (active since 2020) in the projected registry, so their tokens pass. */
export async function register(
  app: INestApplication,
  ...organisations: readonly [
    string,
    EventPayloads['nl.ketenlink.organisation.registered.v1']['kind'],
  ][]
): Promise<void> {
  await feed(
    app,
    organisations.map(([id, kind]) => trajectoryFactEvents.organisation(id, kind)),
  );
}

/** The placement-intake app on its TEST database (migrated, emptied), initialised, no timer. */
export async function startPlacementIntakeTestApp(): Promise<{
  app: INestApplication;
  ds: DataSource;
}> {
  process.env.DATABASE_URL = databaseUrlFor('placement-intake', { test: true });
  process.env.PLACEMENT_DEADLINE_SWEEP_INTERVAL_MS = '0';
  const ds = await openTestDatabase({
    service: 'placement-intake',
    migrations: PLACEMENT_INTAKE_MIGRATIONS,
  });
  // Imported after DATABASE_URL is set: the module reads it when it is defined.
  const { PlacementIntakeAppModule } = await import('../app.module');
  const app = await NestFactory.create(PlacementIntakeAppModule, { logger: false });
  configureHttpEdge(app, { title: 'placement-intake (test)', version: 'test' });
  await app.init();
  return { app, ds };
}
