import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintDevToken } from '@ketenlink/auth';
import { configureHttpEdge } from '@ketenlink/http';
import { databaseUrlFor } from '@ketenlink/persistence';
import { openTestDatabase } from '@ketenlink/testing';
import fc from 'fast-check';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { calendarDate } from '@ketenlink/dates';
import { PLACEMENT_INTAKE_MIGRATIONS } from '../infrastructure/migrations';
import { deliverFact, register } from '../test-support/facts';

/**
 * Property (a), bounded, against the real HTTP API and database: random trajectories
 * (participation roles of referrer and provider, refusal, leaving) and random readers
 * (organisation × token roles, operator included); no answer of GET /placements/:id ever holds
 * a field of a category the reader is not entitled to, and it is 404 exactly when the reader
 * may not see the placement. The oracle and the field categories are written out by hand.
 * fast-check prints the seed on failure (FC_SEED=<seed> replays).
 */
const REFERRER = 'pi-prop';
const PROVIDER = 'fz-prop';
const OTHER = 'zvh-prop';
let app: INestApplication;
let ds: DataSource;

type Cat = string;
const DEFAULTS: Record<string, Cat[]> = {
  probation: [
    'title-and-conditions',
    'incidents-and-violations',
    'risk',
    'participation',
    'consent',
    'metadata',
  ],
  provider: [
    'title-and-conditions',
    'risk',
    'plan-and-goals',
    'medical',
    'contact-and-logistics',
    'participation',
    'consent',
    'metadata',
  ],
  zvh: ['participation', 'consent', 'metadata'],
  referrer: ['participation', 'metadata'],
};
const REFERRAL: Cat[] = [
  'title-and-conditions',
  'risk',
  'plan-and-goals',
  'contact-and-logistics',
  'medical',
  'participation',
  'metadata',
];
const EVERYTHING = 'all';
const CAP: Record<string, Cat[] | typeof EVERYTHING> = {
  'placement-officer': EVERYTHING,
  coordinator: EVERYTHING,
  referrer: ['participation', 'metadata'],
};
/** The category of each leaf of the placement answer, as the placement.requested contract tags them. */
const FIELD: Record<string, Cat> = {
  id: 'metadata',
  trajectoryId: 'metadata',
  status: 'metadata',
  missingDocuments: 'metadata',
  requestedAt: 'metadata',
  answerDueOn: 'metadata',
  decidedAt: 'metadata',
  movedInAt: 'metadata',
  crucialInformationRecordedAt: 'metadata',
  withheld: 'metadata',
  'documents[].kind': 'metadata',
  'documents[].attachedAt': 'metadata',
  'documents[].reference': 'metadata',
  'refusal.reasonCode': 'metadata',
  'refusal.reasonText': 'risk',
  providerOrganisationId: 'participation',
  referrerOrganisationId: 'participation',
  referrerKind: 'participation',
  'title.kind': 'title-and-conditions',
  'title.startDate': 'title-and-conditions',
  'title.expectedEndDate': 'title-and-conditions',
  djiPlacementReference: 'title-and-conditions',
  offenceCategory: 'risk',
  activeSubstanceUse: 'risk',
  needs: 'plan-and-goals',
  urgency: 'plan-and-goals',
  locationId: 'contact-and-logistics',
  intakeScheduledFor: 'contact-and-logistics',
};

interface World {
  referrerRole: 'referrer' | 'probation' | 'zvh';
  providerJoins: boolean;
  refused: boolean;
  referrerLeaves: boolean;
  providerLeaves: boolean;
  readerOrg: string;
  readerRoles: string[];
}

function oracle(w: World): { status: number; categories: Set<Cat> } {
  if (!w.readerRoles.some((r) => r === 'referrer' || r === 'placement-officer')) {
    return { status: 403, categories: new Set() };
  }
  const none = { status: 404, categories: new Set<Cat>() };
  if (w.readerOrg !== REFERRER && w.readerOrg !== PROVIDER) return none;
  // An operator token runs the platform: metadata of what its organisation referred or was
  // asked for, whatever else it holds and whether or not the organisation still takes part.
  if (w.readerRoles.includes('operator')) return { status: 200, categories: new Set(['metadata']) };
  const orgCats = new Set<Cat>();
  let visible = false;
  if (w.readerOrg === REFERRER && !w.referrerLeaves) {
    visible = true;
    DEFAULTS[w.referrerRole]!.forEach((c) => orgCats.add(c));
  }
  if (w.readerOrg === PROVIDER) {
    if (w.providerJoins && !w.providerLeaves) {
      visible = true;
      DEFAULTS.provider!.forEach((c) => orgCats.add(c));
    }
    const grantInForce = !w.refused && !w.referrerLeaves && !w.providerLeaves;
    if (grantInForce) {
      visible = true;
      REFERRAL.forEach((c) => orgCats.add(c));
    }
  }
  if (!visible) return none;
  const out = new Set<Cat>();
  for (const c of orgCats) {
    if (w.readerRoles.some((r) => CAP[r] === EVERYTHING || (CAP[r] ?? []).includes(c))) out.add(c);
  }
  return { status: 200, categories: out };
}

function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [prefix];
  if (Array.isArray(value)) {
    const objects = value.filter((e) => e !== null && typeof e === 'object');
    return objects.length === 0 ? [prefix] : objects.flatMap((e) => leafPaths(e, `${prefix}[]`));
  }
  return Object.entries(value).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k));
}

beforeAll(async () => {
  process.env.DATABASE_URL = databaseUrlFor('placement-intake', { test: true });
  process.env.PLACEMENT_DEADLINE_SWEEP_INTERVAL_MS = '0';
  ds = await openTestDatabase({
    service: 'placement-intake',
    migrations: PLACEMENT_INTAKE_MIGRATIONS,
  });
  const { PlacementIntakeAppModule } = await import('../app.module');
  app = await NestFactory.create(PlacementIntakeAppModule, { logger: false });
  configureHttpEdge(app, { title: 'placement-intake (test)', version: 'test' });
  await app.init();
  await register(app, [REFERRER, 'probation-service'], [PROVIDER, 'care-provider'], [OTHER, 'zvh']);
});

afterAll(async () => {
  await app?.close();
  await ds?.destroy();
});

async function deliver(_trajectoryId: string, type: string, data: object): Promise<void> {
  await deliverFact(app, `nl.ketenlink.trajectory.${type}.v1` as never, data as never);
}
const participation = (t: string, organisationId: string, role: string, left = false) =>
  left
    ? deliver(t, 'participant-left', {
        trajectoryId: t,
        organisationId,
        role,
        at: new Date().toISOString(),
      })
    : deliver(t, 'participant-joined', {
        trajectoryId: t,
        organisationId,
        role,
        from: calendarDate(new Date()),
      });
const token = (org: string, roles: string[]) =>
  mintDevToken({ sub: `prop-${org}`, org, roles: roles as never, ttlSeconds: 600 });

const world: fc.Arbitrary<World> = fc.record({
  referrerRole: fc.constantFrom('referrer' as const, 'probation' as const, 'zvh' as const),
  providerJoins: fc.boolean(),
  refused: fc.boolean(),
  referrerLeaves: fc.boolean(),
  providerLeaves: fc.boolean(),
  readerOrg: fc.constantFrom(REFERRER, PROVIDER, OTHER),
  readerRoles: fc.subarray(['referrer', 'placement-officer', 'operator', 'coordinator'], {
    minLength: 1,
  }),
});

const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;

it('no reader of GET /placements/:id ever gets a field of a category it is not entitled to (bounded run)', async () => {
  await fc.assert(
    fc.asyncProperty(world, async (w) => {
      const t = randomUUID();
      await deliver(t, 'opened', {
        trajectoryId: t,
        openedAt: new Date().toISOString(),
        openedBy: { organisationId: REFERRER, role: 'referrer' },
      });
      await participation(t, REFERRER, w.referrerRole);
      const req = await request(app.getHttpServer())
        .post('/placements')
        .set('authorization', `Bearer ${await token(REFERRER, ['referrer'])}`)
        .send({
          trajectoryId: t,
          providerOrganisationId: PROVIDER,
          referrerKind: 'probation',
          title: { kind: 'conditional-release', expectedEndDate: '2028-06-30' },
          offenceCategory: 'arson',
          activeSubstanceUse: true,
          needs: ['housing'],
          urgency: 'regular',
          documents: [{ kind: 'probation-advice', reference: 'dossier/1' }],
        });
      expect(req.status).toBe(201);
      const id = req.body.id as string;
      if (w.providerJoins) await participation(t, PROVIDER, 'provider');
      if (w.refused) {
        const r = await request(app.getHttpServer())
          .post(`/placements/${id}/refuse`)
          .set('authorization', `Bearer ${await token(PROVIDER, ['placement-officer'])}`)
          .send({ reasonCode: 'other', reasonText: 'client prefers another region' });
        expect(r.status).toBe(200);
      }
      if (w.referrerLeaves) await participation(t, REFERRER, w.referrerRole, true);
      if (w.providerLeaves && w.providerJoins) await participation(t, PROVIDER, 'provider', true);
      const effective = { ...w, providerLeaves: w.providerLeaves && w.providerJoins };

      const res = await request(app.getHttpServer())
        .get(`/placements/${id}`)
        .set('authorization', `Bearer ${await token(w.readerOrg, w.readerRoles)}`);
      const expected = oracle(effective);
      expect(res.status).toBe(expected.status);
      if (res.status !== 200) return;
      for (const path of leafPaths(res.body)) {
        const c = FIELD[path];
        if (c === undefined || !expected.categories.has(c)) {
          throw new Error(`${path} (${c}) reached ${w.readerOrg} ${w.readerRoles.join(',')}`);
        }
      }
    }),
    { numRuns: 25, ...(seed !== undefined ? { seed } : {}) },
  );
});
