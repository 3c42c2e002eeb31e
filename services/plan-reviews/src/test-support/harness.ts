import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevToken, type Role } from '@ketenlink/auth';
import type { TrajectoryOpenedV1, TrajectoryParticipantJoinedV1 } from '@ketenlink/contracts';
import { configureHttpEdge } from '@ketenlink/http';
import { buildCloudEvent, EventContext } from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase } from '@ketenlink/testing';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { ScheduleFactsEventHandler } from '../application/schedule-facts.event-handler';
import { PLAN_REVIEWS_MIGRATIONS } from '../infrastructure/migrations';

export interface Client {
  get(path: string): request.Test;
  post(path: string, body?: unknown): request.Test;
  put(path: string, body?: unknown): request.Test;
}

/** The plan-reviews app on its TEST database (timer off: tests tick), for integration tests. */
export interface PlanReviewsTestApp {
  readonly app: INestApplication;
  readonly ds: DataSource;
  as(org: string, roles: Role[]): Promise<Client>;
  /** Delivers trajectory facts to the handler in its own transaction, as the consumer does. */
  openTrajectory(
    participants: { organisationId: string; role: TrajectoryParticipantJoinedV1['role'] }[],
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startPlanReviewsTestApp(): Promise<PlanReviewsTestApp> {
  process.env.DATABASE_URL = databaseUrlFor('plan-reviews', { test: true });
  process.env.PLAN_REVIEWS_TIMER_INTERVAL_MS = '0';
  const ds = await openTestDatabase({
    service: 'plan-reviews',
    migrations: PLAN_REVIEWS_MIGRATIONS,
  });
  const { PlanReviewsAppModule } = await import('../app.module');
  const app = await NestFactory.create(PlanReviewsAppModule, { logger: false });
  configureHttpEdge(app, { title: 'plan-reviews (test)', version: 'test' });
  await app.init();
  const server = app.getHttpServer();
  const handler = app.get(ScheduleFactsEventHandler);
  const deliver = async <T>(
    type: string,
    subject: string,
    data: T,
    run: (d: T, ctx: EventContext) => Promise<void>,
  ) => {
    const e = buildCloudEvent({
      type,
      source: 'trajectory',
      subject,
      data,
      dataschema: 'https://schemas.ketenlink.nl/test',
    });
    await ds.transaction((tx) => run(data, new EventContext([e, tx])));
  };
  return {
    app,
    ds,
    async as(org, roles) {
      const auth = `Bearer ${await mintDevToken({ sub: `user-${org}`, org, roles })}`;
      return {
        get: (path) => request(server).get(path).set('authorization', auth),
        post: (path, body = {}) =>
          request(server)
            .post(path)
            .set('authorization', auth)
            .send(body as object),
        put: (path, body = {}) =>
          request(server)
            .put(path)
            .set('authorization', auth)
            .send(body as object),
      };
    },
    async openTrajectory(participants) {
      const id = randomUUID();
      await deliver<TrajectoryOpenedV1>(
        'nl.ketenlink.trajectory.opened.v1',
        id,
        {
          trajectoryId: id,
          openedAt: '2026-01-05T09:00:00Z',
          openedBy: { organisationId: participants[0]!.organisationId, role: 'coordinator' },
          region: 'Groningen',
        },
        (d, ctx) => handler.onOpened(d, ctx),
      );
      for (const p of participants) {
        await deliver<TrajectoryParticipantJoinedV1>(
          'nl.ketenlink.trajectory.participant-joined.v1',
          id,
          {
            trajectoryId: id,
            organisationId: p.organisationId,
            role: p.role,
            from: '2026-01-05',
          },
          (d, ctx) => handler.onJoined(d, ctx),
        );
      }
      return id;
    },
    async close() {
      await app.close();
      await ds.destroy();
    },
  };
}

/** Row counts of the tables a refused request must leave alone. */
export async function counts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['plan_versions', 'risk_assessments', 'meetings', 'review_items', 'outbox']) {
    const [row] = (await ds.query(`SELECT count(*)::int AS n FROM ${t}`)) as { n: number }[];
    out[t] = row!.n;
  }
  return out;
}
