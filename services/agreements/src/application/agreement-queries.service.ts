import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import type { DataCategory } from '@ketenlink/contracts';
import {
  type Disclosed,
  type DisclosureGrant,
  DisclosureGate,
  DisclosureRefusedError,
  type Entitlement,
  NotVisibleError,
  type Reader,
  type TrajectoryFacts,
} from '@ketenlink/disclosure';
import type { Agreement } from '../domain/agreement';
import { NotFoundError } from '../domain/errors';
import { SqlAccessLog } from '@ketenlink/access-log';
import { participatesNow } from './actors';
import { AGREEMENT_FACTS, type AgreementFactsPort } from './facts.port';
import { AgreementStore, RecordStore } from './ports/agreement.store.port';

/**
 * R-CONDITIONS: the agreement is shared with every party to it. Probation's legal-duty defaults
 * lack the plan categories (the client's goals, life areas, house rules), so each party
 * organisation gets this grant on the agreement it is party to, while it takes part in the
 * trajectory (docs/adr/0025-agreement-grants.md).
 */
export const AGREEMENT_PARTY_CATEGORIES: readonly DataCategory[] = [
  // only the termination's reason and violation in the agreement view carry this category
  'incidents-and-violations',
  'title-and-conditions',
  'plan-and-goals',
  'general-information',
  'participation',
  'metadata',
];
/** The organisation that recorded a notification, violation or incident reads it back. */
export const OWN_RECORD_CATEGORIES: readonly DataCategory[] = [
  'incidents-and-violations',
  'title-and-conditions',
  'participation',
  'metadata',
];

export type Projection<S> = (subject: S, entitlement: Entitlement) => Disclosed<object>;
type Recorded = { id: string; trajectoryId: string; by: { organisationId: string }; at: Date };

/**
 * Every read of the agreements service goes through the disclosure gate (libs/disclosure) with
 * the trajectory's facts, this service's grants (agreement party, own record) and its own
 * access log: not visible → 404, refused → 403, each read logged with its basis per category.
 */
@Injectable()
export class AgreementQueries {
  private readonly gate: DisclosureGate;

  constructor(
    private readonly agreements: AgreementStore,
    private readonly records: RecordStore,
    @Inject(AGREEMENT_FACTS) private readonly facts: AgreementFactsPort,
    log: SqlAccessLog,
  ) {
    this.gate = new DisclosureGate(log);
  }

  async agreement<T extends object>(
    id: string,
    reader: Reader,
    resource: string,
    project: Projection<Agreement>,
  ): Promise<T> {
    const a = await this.agreements.findById(id);
    if (!a) throw new NotFoundError('agreement');
    return this.discloseAgreement(a, reader, resource, project);
  }

  async discloseAgreement<T extends object>(
    a: Agreement,
    reader: Reader,
    resource: string,
    project: Projection<Agreement>,
  ): Promise<T> {
    const facts = await this.factsFor(a.trajectoryId, (f) => partyGrants(a, f));
    return gated('agreement', () =>
      this.gate.disclose(
        { reader, facts, trajectoryId: a.trajectoryId, resource },
        (e) => project(a, e) as Disclosed<T>,
      ),
    );
  }

  /** The trajectory's agreements (newest first), each disclosed and logged on its own. */
  async agreementsOf<T extends object>(
    trajectoryId: string,
    reader: Reader,
    project: Projection<Agreement>,
  ): Promise<T[]> {
    const base = await this.facts.factsOf(trajectoryId);
    const all = await this.agreements.listByTrajectory(trajectoryId);
    if (!base || all.length === 0) {
      // Nothing to list, but whether the reader may know the trajectory is still the gate's call.
      await gated('trajectory', () =>
        this.gate.disclose({ reader, facts: base, trajectoryId, resource: 'agreements' }, () => ({
          body: {},
          categories: [],
        })),
      );
      return this.gate.collect([]);
    }
    const out: T[] = [];
    for (const a of all) {
      const facts = { ...base, grants: partyGrants(a, base) };
      out.push(
        await gated('trajectory', () =>
          this.gate.disclose(
            { reader, facts, trajectoryId, resource: 'agreement' },
            (e) => project(a, e) as Disclosed<T>,
          ),
        ),
      );
    }
    return this.gate.collect(out);
  }

  /** The client's own agreement: his trajectory's open one, else the latest. */
  async own<T extends object>(
    trajectoryId: string,
    reader: Reader,
    project: Projection<Agreement>,
  ): Promise<T> {
    const [a] = await this.agreements.listByTrajectory(trajectoryId);
    if (!a) throw new NotFoundError('agreement');
    return this.discloseAgreement(a, reader, 'own-agreement', project);
  }

  /** A list of records of one kind, each through the gate with its recorder's grant. */
  async recordsOf<R, T extends object>(
    trajectoryId: string,
    reader: Reader,
    resource: 'notification' | 'violation' | 'incident',
    project: Projection<R>,
    recorded: (r: R) => Recorded,
  ): Promise<T[]> {
    const base = await this.facts.factsOf(trajectoryId);
    const items = (await this.load(resource, trajectoryId)) as R[];
    // Whether the reader may know the trajectory is decided (and logged) once: 404 for outsiders.
    await gated('trajectory', () =>
      this.gate.disclose({ reader, facts: base, trajectoryId, resource: `${resource}s` }, () => ({
        body: {},
        categories: [],
      })),
    );
    const out: T[] = [];
    for (const item of items) {
      const facts = { ...base!, grants: ownRecordGrant(recorded(item), base!) };
      out.push(
        await this.gate.disclose(
          { reader, facts, trajectoryId, resource },
          (e) => project(item, e) as Disclosed<T>,
        ),
      );
    }
    return this.gate.collect(out);
  }

  /** One record (e.g. the answer to the command that made it), through the gate. */
  async discloseRecord<R, T extends object>(
    item: R,
    reader: Reader,
    resource: string,
    project: Projection<R>,
    recorded: (r: R) => Recorded,
  ): Promise<T> {
    const r = recorded(item);
    const facts = await this.factsFor(r.trajectoryId, (f) => ownRecordGrant(r, f));
    return gated('trajectory', () =>
      this.gate.disclose(
        { reader, facts, trajectoryId: r.trajectoryId, resource },
        (e) => project(item, e) as Disclosed<T>,
      ),
    );
  }

  private load(resource: string, trajectoryId: string): Promise<unknown[]> {
    if (resource === 'notification') return this.records.notificationsOf(trajectoryId);
    if (resource === 'violation') return this.records.violationsOf(trajectoryId);
    return this.records.incidentsOf(trajectoryId);
  }

  private async factsFor(
    trajectoryId: string,
    grants: (f: TrajectoryFacts) => DisclosureGrant[],
  ): Promise<TrajectoryFacts | undefined> {
    const base = await this.facts.factsOf(trajectoryId);
    return base ? { ...base, grants: [...(base.grants ?? []), ...grants(base)] } : undefined;
  }
}

function partyGrants(a: Agreement, facts: TrajectoryFacts, now = new Date()): DisclosureGrant[] {
  return [a.parties.probationOrganisationId, a.parties.providerOrganisationId]
    .filter((org) => participatesNow(facts.participations, org, now))
    .map((org) => ({
      id: `${a.id}:${org}`,
      recipientOrganisationId: org,
      categories: AGREEMENT_PARTY_CATEGORIES,
      purpose: 'agreement-party',
      legalBasis: 'legal-duty' as const,
      validFrom: a.versions[0]!.createdAt,
    }));
}

function ownRecordGrant(r: Recorded, facts: TrajectoryFacts, now = new Date()): DisclosureGrant[] {
  if (!participatesNow(facts.participations, r.by.organisationId, now)) return [];
  return [
    {
      id: r.id,
      recipientOrganisationId: r.by.organisationId,
      categories: OWN_RECORD_CATEGORIES,
      purpose: 'own-record',
      legalBasis: 'legal-duty',
      validFrom: r.at,
    },
  ];
}

async function gated<T>(what: 'agreement' | 'trajectory', work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof NotVisibleError) throw new NotFoundError(what);
    if (err instanceof DisclosureRefusedError) throw new ForbiddenException(err.message);
    throw err;
  }
}
