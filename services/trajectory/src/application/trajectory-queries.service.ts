import { Inject, Injectable } from '@nestjs/common';
import { type DataCategory, filterPayload } from '@ketenlink/contracts';
import {
  basesFor,
  type Caller,
  canSeeTrajectory,
  type Entitlement,
  entitlementOf,
  recipientOf,
} from '../domain/disclosure';
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

/** What a read returns and which categories it disclosed. */
export interface Disclosed<T> {
  readonly body: T;
  readonly categories: Iterable<DataCategory>;
}

/**
 * Every read of client data goes through here: visibility (participating now), the consent
 * policy with the consent in force now, and the access log, written before anything is
 * returned (no log, no data). Refused reads are logged too.
 */
@Injectable()
export class TrajectoryQueries {
  constructor(
    private readonly store: TrajectoryStore,
    private readonly timeline: TimelineStore,
    private readonly log: AccessLog,
    @Inject(IDENTITY_CIPHER) private readonly cipher: IdentityCipher,
  ) {}

  async read<T>(
    trajectoryId: string,
    caller: Caller,
    resource: string,
    project: (
      state: TrajectoryState,
      entitlement: Entitlement,
    ) => Promise<Disclosed<T>> | Disclosed<T>,
  ): Promise<T> {
    const now = new Date();
    const state = await this.store.load(undefined, trajectoryId);
    if (!state || !canSeeTrajectory(state, caller, now)) {
      await this.deny(trajectoryId, caller, resource, 'not participating in this trajectory');
      throw trajectoryNotFound();
    }
    const entitlement = entitlementOf(state, caller, now);
    let disclosed: Disclosed<T>;
    try {
      disclosed = await project(state, entitlement);
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'forbidden') {
        await this.deny(trajectoryId, caller, resource, err.message);
      }
      throw err;
    }
    const categories = [...new Set(disclosed.categories)].sort();
    await this.log.record({
      ...who(caller),
      trajectoryId,
      resource,
      outcome: 'disclosed',
      categories,
      legalBases: basesFor(entitlement, categories),
    });
    return disclosed.body;
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

  async timelineOf(trajectoryId: string, caller: Caller): Promise<TimelineItem[]> {
    return this.read(trajectoryId, caller, 'timeline', async (_state, entitlement) => {
      const entries = await this.timeline.entriesOf(trajectoryId);
      const items = timelineFor(entries, recipientOf(caller), entitlement.permitted, filterPayload);
      return { body: items, categories: items.flatMap((i) => i.categories) };
    });
  }

  /** The identity vault: a reader role AND the policy's permit for `identity`; logged. */
  async identityOf(trajectoryId: string, caller: Caller): Promise<ClientIdentity> {
    return this.read(trajectoryId, caller, 'identity', async (_state, entitlement) => {
      if (!caller.roles.some((r) => (IDENTITY_READER_ROLES as readonly string[]).includes(r))) {
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

  private async deny(
    trajectoryId: string,
    caller: Caller,
    resource: string,
    reason: string,
  ): Promise<void> {
    await this.log.record({
      ...who(caller),
      trajectoryId,
      resource,
      outcome: 'denied',
      categories: [],
      legalBases: {},
      reason,
    });
  }
}

function who(caller: Caller) {
  return { subject: caller.subject, organisationId: caller.organisationId, roles: caller.roles };
}
