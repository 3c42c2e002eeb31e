import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource, type EntityManager } from 'typeorm';
import { freePlaces } from '../../domain/location';
import {
  accept,
  addDocuments,
  moveIn,
  recordCrucialInformation,
  recordFirstContact,
  refuse,
  scheduleIntake,
  waitlist,
  withdraw,
  type Placement,
  type PlacementDocument,
  type Transition,
} from '../../domain/placement';
import type { RefusalReason } from '../../domain/vocabulary';
import { DisclosureFactsPort } from '../ports/disclosure-facts.port';
import { LocationStore } from '../ports/location.store.port';
import { PlacementStore } from '../ports/placement.store.port';
import { NotFoundError } from '../errors';
import { IS_PUBLIC_HOLIDAY, type IsPublicHoliday } from '../holidays.provider';

/** Who acts: the provider's placement officer, or the referrer who asked. */
export interface Actor {
  readonly organisationId: string;
  readonly side: 'provider' | 'referrer';
}

/**
 * Every command on an existing placement: lock the row, let the domain decide, store the new
 * state and its events in the same transaction. A domain error rolls everything back.
 */
@Injectable()
export class PlacementCommandsService {
  constructor(
    private readonly ds: DataSource,
    private readonly placements: PlacementStore,
    private readonly locations: LocationStore,
    private readonly events: EventEmitter,
    private readonly disclosures: DisclosureFactsPort,
    @Inject(IS_PUBLIC_HOLIDAY) private readonly isHoliday: IsPublicHoliday,
  ) {}

  addDocuments(actor: Actor, id: string, documents: PlacementDocument[]): Promise<Placement> {
    return this.change(actor, id, async (p, _tx, now) =>
      addDocuments(p, documents, now, this.isHoliday),
    );
  }

  accept(actor: Actor, id: string, locationId: string): Promise<Placement> {
    return this.change(actor, id, async (p, tx, now) => {
      const location = await this.locations.findForUpdate(tx, locationId);
      if (!location || location.providerOrganisationId !== actor.organisationId) {
        throw new NotFoundError('location');
      }
      const reserved = (await this.placements.reservedAt(tx, [locationId])).get(locationId) ?? 0;
      return accept(p, { ...location, freePlaces: freePlaces(location, reserved) }, now);
    });
  }

  refuse(actor: Actor, id: string, reason: { reasonCode: RefusalReason; reasonText?: string }) {
    return this.change(actor, id, async (p, _tx, now) => refuse(p, reason, now));
  }

  /** The referrer withdraws; the referral's disclosure ends in the same transaction. */
  withdraw(actor: Actor, id: string, reason: { reasonText?: string }) {
    return this.change(actor, id, async (p, tx, now) => {
      const t = withdraw(p, reason, now);
      await this.disclosures.endReferral(tx, p.id, now, 'withdrawn');
      return t;
    });
  }

  waitlist(
    actor: Actor,
    id: string,
    bridging: { bridgingAmbulant: boolean; bridgingNote?: string },
  ) {
    return this.change(actor, id, async (p, _tx, now) => waitlist(p, bridging, now));
  }

  scheduleIntake(actor: Actor, id: string, scheduledFor: Date) {
    return this.change(actor, id, async (p, _tx, now) => scheduleIntake(p, scheduledFor, now));
  }

  recordFirstContact(actor: Actor, id: string, at: Date) {
    return this.change(actor, id, async (p, _tx, now) => recordFirstContact(p, at, now));
  }

  recordCrucialInformation(actor: Actor, id: string, info: { medication: string; notes?: string }) {
    return this.change(actor, id, async (p, _tx, now) => recordCrucialInformation(p, info, now));
  }

  /** Move-in: occupancy +1 at the location, in the same transaction as client.placed. */
  moveIn(actor: Actor, id: string, movedInAt: Date | undefined) {
    return this.change(actor, id, async (p, tx, now) => {
      const location = p.locationId
        ? await this.locations.findForUpdate(tx, p.locationId)
        : undefined;
      // No location means the placement was never accepted: the state machine says why.
      const at = movedInAt ?? now;
      const availability = location
        ? { ...location, freePlaces: freePlaces(location, 0) }
        : { id: '', providerOrganisationId: p.providerOrganisationId, freePlaces: 0 };
      const t = moveIn(p, availability, at, now);
      if (location)
        await this.locations.update(tx, { ...location, occupancy: location.occupancy + 1 }, now);
      return t;
    });
  }

  private async change(
    actor: Actor,
    id: string,
    decide: (p: Placement, tx: EntityManager, now: Date) => Promise<Transition>,
  ): Promise<Placement> {
    const now = new Date();
    return this.ds.transaction(async (tx) => {
      const current = await this.placements.findForUpdate(tx, id);
      const own =
        actor.side === 'provider'
          ? current?.providerOrganisationId === actor.organisationId
          : current?.referrerOrganisationId === actor.organisationId;
      if (!current || !own) throw new NotFoundError('placement');
      const { placement, events } = await decide(current, tx, now);
      await this.placements.update(tx, placement);
      if (events.length) {
        await this.events.emit(
          tx,
          events.map((e) => ({ type: e.type, subject: placement.trajectoryId, data: e.data })),
        );
      }
      return placement;
    });
  }
}
