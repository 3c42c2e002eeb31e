import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import {
  DisclosureGate,
  DisclosureRefusedError,
  entitlementOf,
  NotVisibleError,
  type StaffReader,
  type TrajectoryFacts,
} from '@ketenlink/disclosure';
import { TRAJECTORY_FACTS, type TrajectoryFactsPort } from '@ketenlink/trajectory-facts';
import { type Handover, isPartyTo } from '../../domain/handover';
import { handoverAnswer } from '../../domain/handover-view';
import { assemblePackage, handoverGrants, type PackageSources } from '../../domain/package';
import { SqlAccessLog } from '@ketenlink/access-log';
import { NotFoundError } from '../errors';
import { HandoverStore } from '../ports/handover.store.port';
import { PackageSourcesStore } from '../ports/package-sources.port';

/**
 * Every read of a handover or its package goes through the disclosure gate (libs/disclosure):
 * only the two parties, each with its entitlement at the instant of reading: the sender as a
 * participant, the receiver through the handover's grants (ADR 0032). Each read is logged in
 * this service's access log, refusals included.
 */
@Injectable()
export class HandoverQueriesService {
  private readonly gate: DisclosureGate;

  constructor(
    private readonly handovers: HandoverStore,
    private readonly sources: PackageSourcesStore,
    @Inject(TRAJECTORY_FACTS) private readonly facts: TrajectoryFactsPort,
    log: SqlAccessLog,
  ) {
    this.gate = new DisclosureGate(log);
  }

  async read(id: string, reader: StaffReader): Promise<Record<string, unknown>> {
    const h = await this.handovers.findById(id);
    if (!h) throw new NotFoundError('handover');
    return this.disclose(h, reader);
  }

  /** The handover as the reader may see it, with what the receiver's package lacks. */
  async disclose(
    h: Handover,
    reader: StaffReader,
    at = new Date(),
  ): Promise<Record<string, unknown>> {
    const facts = await this.factsFor(h, reader, at);
    const leftOut = facts ? await this.receiverLeftOut(h, facts, at) : undefined;
    return gated(() =>
      this.gate.disclose(
        { reader, facts, trajectoryId: h.trajectoryId, resource: 'handover', at },
        (e) => handoverAnswer(h, e, leftOut),
      ),
    );
  }

  async list(reader: StaffReader): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    for (const h of await this.handovers.listFor(reader.organisationId)) {
      try {
        out.push(await this.disclose(h, reader));
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
    }
    return this.gate.collect(out);
  }

  /**
   * The package: for the receiver only once it accepted (before: 403, logged), cut to the
   * entitlement at this instant, with what was left out and why.
   */
  async package(id: string, reader: StaffReader): Promise<Record<string, unknown>> {
    const h = await this.handovers.findById(id);
    if (!h) throw new NotFoundError('handover');
    const at = new Date();
    const facts = await this.factsFor(h, reader, at);
    const sources = facts ? await this.sourcesOf(h) : undefined;
    return gated(() =>
      this.gate.disclose(
        { reader, facts, trajectoryId: h.trajectoryId, resource: 'handover-package', at },
        (e) => {
          if (reader.organisationId === h.receivingOrganisationId && !h.acceptedAt) {
            throw new DisclosureRefusedError(
              'package-not-open',
              'The package opens when your organisation accepts the handover',
            );
          }
          return assemblePackage(h, sources!, e);
        },
      ),
    );
  }

  /** The gate's facts with the handover's grants; undefined when the reader is no party. */
  private async factsFor(
    h: Handover,
    reader: StaffReader,
    at: Date,
  ): Promise<TrajectoryFacts | undefined> {
    if (!isPartyTo(h, reader.organisationId)) return undefined;
    const facts = await this.facts.factsOf(h.trajectoryId);
    if (!facts) return undefined;
    return { ...facts, grants: [...(facts.grants ?? []), ...handoverGrants(h, facts, at)] };
  }

  private async sourcesOf(h: Handover): Promise<PackageSources> {
    const [titles, rest] = await Promise.all([
      this.facts.titlesOf(h.trajectoryId),
      this.sources.sourcesOf(h.trajectoryId),
    ]);
    return {
      titles: titles.map((t) => ({
        kind: t.kind,
        startDate: t.startDate,
        ...(t.expectedEndDate ? { expectedEndDate: t.expectedEndDate } : {}),
        ...(t.endedOn ? { endedOn: t.endedOn } : {}),
        conditions: t.conditions,
      })),
      ...rest,
    };
  }

  /** What the receiving organisation's package lacks at `at` (items and reasons, no content). */
  private async receiverLeftOut(h: Handover, facts: TrajectoryFacts, at: Date) {
    const receiver: StaffReader = {
      kind: 'staff',
      subject: 'package-preview',
      organisationId: h.receivingOrganisationId,
      roles: ['coordinator'],
    };
    const e = entitlementOf(receiver, facts, at);
    if (!e.visible) return undefined;
    return assemblePackage(h, await this.sourcesOf(h), e).body.leftOut;
  }
}

/** Gate refusals as the API says them: not visible → 404, not entitled → 403. */
async function gated<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof NotVisibleError) throw new NotFoundError('handover');
    if (err instanceof DisclosureRefusedError) throw new ForbiddenException(err.message);
    throw err;
  }
}
