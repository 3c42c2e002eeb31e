import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevToken, type Role } from '@ketenlink/auth';
import type { TrajectoryParticipantJoinedV1 } from '@ketenlink/contracts';
import { configureHttpEdge } from '@ketenlink/http';
import { EventContext, type CloudEvent } from '@ketenlink/messaging';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase } from '@ketenlink/testing';
import { TrajectoryFactsEventHandler, trajectoryFactEvents } from '@ketenlink/trajectory-facts';
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
  /** Opens a trajectory through the trajectory topic's consumers (facts, schedules), as the inbox does. */
  openTrajectory(
    participants: { organisationId: string; role: TrajectoryParticipantJoinedV1['role'] }[],
  ): Promise<string>;
  /** Enters an organisation in the projected registry (organisation.registered). */
  register(org: string): Promise<void>;
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
  const schedules = app.get(ScheduleFactsEventHandler);
  const facts = app.get(TrajectoryFactsEventHandler);
  const deliver = async (e: CloudEvent) => {
    await ds.transaction(async (tx) => {
      const ctx = new EventContext([e, tx]);
      const d = e.data as never;
      switch (e.type) {
        case 'nl.ketenlink.organisation.registered.v1':
          return facts.onOrganisation(d, ctx);
        case 'nl.ketenlink.trajectory.opened.v1':
          await facts.onOpened(d, ctx);
          return schedules.onOpened(d, ctx);
        case 'nl.ketenlink.trajectory.participant-joined.v1':
          return facts.onJoined(d, ctx);
        default:
          throw new Error(`harness: no delivery for ${e.type}`);
      }
    });
  };
  const registered = new Set<string>();
  const register = async (org: string) => {
    if (registered.has(org)) return;
    registered.add(org);
    const kind = org.startsWith('reclassering')
      ? 'probation-service'
      : org === 'ketenlink'
        ? 'platform'
        : 'care-provider';
    await deliver(trajectoryFactEvents.organisation(org, kind));
  };
  return {
    app,
    ds,
    async as(org, roles) {
      await register(org);
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
      // Through both consumers of the trajectory topic, as the inbox runs them: the facts
      // projection first (HANDLER_ORDER), then the schedules.
      for (const p of participants) await register(p.organisationId);
      const [first, ...rest] = participants;
      const events = trajectoryFactEvents.trajectory({
        opener: first!.organisationId,
        openerRole: first!.role,
        participants: rest,
      });
      const id = events[0]!.subject!;
      for (const e of events) await deliver(e);
      return id;
    },
    register,
    async close() {
      await app.close();
      await ds.destroy();
    },
  };
}

/** Row counts of the tables a refused request must leave alone. */
export async function counts(ds: DataSource): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of [
    'plan_versions',
    'risk_assessments',
    'meetings',
    'progress_notes',
    'review_items',
    'outbox',
  ]) {
    const [row] = (await ds.query(`SELECT count(*)::int AS n FROM ${t}`)) as { n: number }[];
    out[t] = row!.n;
  }
  return out;
}
