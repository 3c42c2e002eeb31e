import { trajectoryFacts } from '../domain/disclosure';
import { Inject, Injectable } from '@nestjs/common';
import { type DataCategory, filterPayload } from '@ketenlink/contracts';
import {
  type Disclosed,
  DisclosureGate,
  DisclosureRefusedError,
  type Entitlement,
  isStaff,
  NotVisibleError,
  type Reader,
} from '@ketenlink/disclosure';
import { DomainError } from '../domain/errors';
import type { ClientIdentity } from '../domain/identity';
import { type TimelineItem, timelineFor } from '../domain/timeline';
import type { TrajectoryState } from '../domain/trajectory';
import { AccessLog } from '../infrastructure/access-log';
import { IdentityCipher } from './ports/identity-cipher.port';
import { TimelineStore } from './ports/timeline.store.port';
import { TrajectoryStore } from './ports/trajectory.store.port';
import { IDENTITY_CIPHER, trajectoryNotFound } from './trajectory-commands.service';

/** Roles whose work needs the client's identity; the policy must permit `identity` as well. */
export const IDENTITY_READER_ROLES = [
  'coordinator',
  'zvh-coordinator',
  'probation-officer',
  'placement-officer',
] as const;

export type { Disclosed };

/**
 * Every read of client data goes through the disclosure gate (@ketenlink/disclosure): visibility
 * (participating now), the consent policy with the consent in force now, the roles of the token
 * inside its organisation, and the access log, written before anything is returned (no log, no
 * data). Refused reads are logged too.
 */
@Injectable()
export class TrajectoryQueries {
  private readonly gate: DisclosureGate;

  constructor(
    private readonly store: TrajectoryStore,
    private readonly timeline: TimelineStore,
    log: AccessLog,
    @Inject(IDENTITY_CIPHER) private readonly cipher: IdentityCipher,
  ) {
    this.gate = new DisclosureGate(log);
  }

  async read<T extends object>(
    trajectoryId: string,
    reader: Reader,
    resource: string,
    project: (
      state: TrajectoryState,
      entitlement: Entitlement,
    ) => Promise<Disclosed<T>> | Disclosed<T>,
  ): Promise<T> {
    const state = await this.store.load(undefined, trajectoryId);
    const facts = state ? trajectoryFacts(state) : undefined;
    try {
      return await this.gate.disclose({ reader, facts, trajectoryId, resource }, async (e) => {
        try {
          return await project(state!, e);
        } catch (err) {
          if (err instanceof DomainError && err.kind === 'forbidden') {
            throw new DisclosureRefusedError(err.code, err.message, err.errors);
          }
          throw err;
        }
      });
    } catch (err) {
      if (err instanceof NotVisibleError) throw trajectoryNotFound();
      if (err instanceof DisclosureRefusedError) {
        throw new DomainError('forbidden', err.code, err.message, err.reasons);
      }
      throw err;
    }
  }

  /** The category must be permitted; otherwise 403 (the caller does see the trajectory). */
  static require(entitlement: Entitlement, category: DataCategory): void {
    const decision = entitlement.decisions[category];
    if (!decision.permit) {
      throw new DomainError(
        'forbidden',
        'category-not-permitted',
        `Your organisation may not receive ${category} of this trajectory`,
        [decision.reason],
      );
    }
  }

  /** The timeline, field by field; the access log keeps the ids of the events disclosed. */
  async timelineOf(
    trajectoryId: string,
    reader: Reader,
  ): Promise<{ trajectoryId: string; items: TimelineItem[] }> {
    return this.read(trajectoryId, reader, 'timeline', async (_state, entitlement) => {
      const entries = await this.timeline.entriesOf(trajectoryId);
      const items = timelineFor(
        entries,
        entitlement.recipient,
        entitlement.permitted,
        filterPayload,
      );
      return {
        body: { trajectoryId, items },
        categories: items.flatMap((i) => i.categories),
        eventIds: items.map((i) => i.eventId),
      };
    });
  }

  /** The identity vault: a reader role AND the policy's permit for `identity`; logged. */
  async identityOf(trajectoryId: string, reader: Reader): Promise<ClientIdentity> {
    return this.read(trajectoryId, reader, 'identity', async (_state, entitlement) => {
      if (
        isStaff(reader) &&
        !reader.roles.some((r) => (IDENTITY_READER_ROLES as readonly string[]).includes(r))
      ) {
        throw new DomainError(
          'forbidden',
          'identity-not-permitted',
          'Your role may not read client identities',
        );
      }
      TrajectoryQueries.require(entitlement, 'identity');
      const sealed = await this.store.loadIdentity(trajectoryId);
      if (!sealed) {
        throw new DomainError(
          'not-found',
          'identity-not-found',
          'No identity recorded for this trajectory',
        );
      }
      return { body: this.cipher.open(trajectoryId, sealed), categories: ['identity'] };
    });
  }
}
