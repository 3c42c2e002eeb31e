import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import {
  requestPlacement,
  type Placement,
  type RequestPlacementInput,
} from '../../domain/placement';
import { calendarDate } from '@ketenlink/dates';
import { KnownTrajectoriesStore } from '../ports/known-trajectories.store.port';
import { PlacementStore } from '../ports/placement.store.port';
import { DisclosureFactsStore } from '../../infrastructure/disclosure-facts.store';
import { NotFoundError } from '../errors';
import { IS_PUBLIC_HOLIDAY, type IsPublicHoliday } from '../holidays.provider';

export type RequestPlacementCommand = Omit<RequestPlacementInput, 'id' | 'now' | 'isHoliday'>;

/** A referrer asks a provider for a placement: row and placement.requested commit together. */
@Injectable()
export class RequestPlacementService {
  constructor(
    private readonly ds: DataSource,
    private readonly placements: PlacementStore,
    private readonly trajectories: KnownTrajectoriesStore,
    private readonly events: EventEmitter,
    private readonly disclosures: DisclosureFactsStore,
    @Inject(IS_PUBLIC_HOLIDAY) private readonly isHoliday: IsPublicHoliday,
  ) {}

  async execute(cmd: RequestPlacementCommand, now = new Date()): Promise<Placement> {
    // Only trajectories this service has heard of, and only for an organisation that takes part
    // in it now (Europe/Amsterdam days; an opener that has left may not refer); anything else
    // looks unknown.
    const participates = await this.trajectories.isParticipantNow(
      cmd.trajectoryId,
      cmd.referrerOrganisationId,
      now,
      calendarDate(now),
    );
    if (!participates) throw new NotFoundError('trajectory');
    const { placement, events } = requestPlacement({
      ...cmd,
      id: randomUUID(),
      now,
      isHoliday: this.isHoliday,
    });
    await this.ds.transaction(async (tx) => {
      await this.placements.insert(tx, placement);
      // The referral discloses the file to the addressed provider, and to no one else (ADR 0020).
      await this.disclosures.recordReferral(tx, {
        placementId: placement.id,
        trajectoryId: placement.trajectoryId,
        recipientOrganisationId: placement.providerOrganisationId,
        referrerOrganisationId: placement.referrerOrganisationId,
        validFrom: placement.requestedAt,
      });
      await this.events.emit(
        tx,
        events.map((e) => ({ type: e.type, subject: placement.trajectoryId, data: e.data })),
      );
    });
    return placement;
  }
}
