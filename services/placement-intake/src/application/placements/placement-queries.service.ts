import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import {
  type Disclosed,
  DisclosureGate,
  DisclosureRefusedError,
  type Entitlement,
  NotVisibleError,
  type StaffReader,
} from '@ketenlink/disclosure';
import { isVisibleTo, type Placement } from '../../domain/placement';
import { ACCESS_LOG_PORT, type AccessLogPort } from '../ports/access-log.port';
import { DisclosureFactsPort } from '../ports/disclosure-facts.port';
import { PlacementStore } from '../ports/placement.store.port';
import { NotFoundError } from '../errors';

/** Builds the answer from the placement and the reader's entitlement (filtering per category). */
export type PlacementProjection<T> = (
  p: Placement,
  entitlement: Entitlement,
) => Disclosed<T> | Promise<Disclosed<T>>;

const refusedAt = (p: Placement) => (p.status === 'refused' ? p.decidedAt : undefined);

/**
 * Every read of a placement goes through the disclosure gate: only the referrer and the
 * addressed provider, and only while the gate sees them (participating now, or the referral
 * disclosure in force); what they see is cut to their entitlement and token roles; each read is
 * logged in placement-intake's access log with the basis per category.
 */
@Injectable()
export class PlacementQueriesService {
  private readonly gate: DisclosureGate;

  constructor(
    private readonly placements: PlacementStore,
    private readonly facts: DisclosureFactsPort,
    @Inject(ACCESS_LOG_PORT) log: AccessLogPort,
  ) {
    this.gate = new DisclosureGate(log);
  }

  /** A placement the caller may see, through `project`; otherwise not found (404). */
  async read<T extends object>(
    id: string,
    reader: StaffReader,
    resource: string,
    project: PlacementProjection<T>,
  ): Promise<T> {
    const p = await this.placements.findById(id);
    if (!p) throw new NotFoundError('placement');
    return this.disclose(p, reader, resource, project);
  }

  /** The answer about a placement already in hand (e.g. after a command). */
  async disclose<T extends object>(
    p: Placement,
    reader: StaffReader,
    resource: string,
    project: PlacementProjection<T>,
    at?: Date,
  ): Promise<T> {
    const facts = isVisibleTo(p, reader.organisationId)
      ? (
          await this.facts.factsOf([
            { id: p.id, trajectoryId: p.trajectoryId, refusedAt: refusedAt(p) },
          ])
        ).get(p.trajectoryId)
      : undefined;
    return gated(() =>
      this.gate.disclose(
        { reader, facts, trajectoryId: p.trajectoryId, resource, ...(at ? { at } : {}) },
        (e) => project(p, e),
      ),
    );
  }

  /** The placements of the caller's organisation that the gate lets it see, each logged. */
  async list<T extends object>(reader: StaffReader, project: PlacementProjection<T>): Promise<T[]> {
    const all = await this.placements.listFor(reader.organisationId);
    const facts = await this.facts.factsOf(
      all.map((p) => ({ id: p.id, trajectoryId: p.trajectoryId, refusedAt: refusedAt(p) })),
    );
    const out: T[] = [];
    for (const p of all) {
      try {
        out.push(
          await this.gate.disclose(
            {
              reader,
              facts: facts.get(p.trajectoryId),
              trajectoryId: p.trajectoryId,
              resource: 'placement',
            },
            (e) => project(p, e),
          ),
        );
      } catch (err) {
        if (!(err instanceof NotVisibleError)) throw err;
      }
    }
    return this.gate.collect(out);
  }
}

/** Gate refusals as the API says them: not visible → 404, not entitled → 403. */
async function gated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof NotVisibleError) throw new NotFoundError('placement');
    if (err instanceof DisclosureRefusedError) throw new ForbiddenException(err.message);
    throw err;
  }
}
