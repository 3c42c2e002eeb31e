import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import {
  requestPlacement,
  type Placement,
  type RequestPlacementInput,
} from '../../domain/placement';
import { isParticipating } from '@ketenlink/consent';
import { TRAJECTORY_FACTS, type TrajectoryFactsPort } from '@ketenlink/trajectory-facts';
import { DisclosureFactsPort } from '../ports/disclosure-facts.port';
import { PlacementStore } from '../ports/placement.store.port';
import { NotFoundError } from '../errors';
import { IS_PUBLIC_HOLIDAY, type IsPublicHoliday } from '../holidays.provider';

export type RequestPlacementCommand = Omit<RequestPlacementInput, 'id' | 'now' | 'isHoliday'>;

/** A referrer asks a provider for a placement: row and placement.requested commit together. */
@Injectable()
export class RequestPlacementService {
  constructor(
    private readonly ds: DataSource,
    private readonly placements: PlacementStore,
    @Inject(TRAJECTORY_FACTS) private readonly facts: TrajectoryFactsPort,
    private readonly events: EventEmitter,
    private readonly disclosures: DisclosureFactsPort,
    @Inject(IS_PUBLIC_HOLIDAY) private readonly isHoliday: IsPublicHoliday,
  ) {}

  async execute(cmd: RequestPlacementCommand, now = new Date()): Promise<Placement> {
    // Only trajectories this service has heard of, and only for an organisation that takes part
    // in it now (from its first Europe/Amsterdam day through its last, until it leaves; an
    // opener that has left may not refer); anything else looks unknown.
    if (!(await takesPartNow(this.facts, cmd.trajectoryId, cmd.referrerOrganisationId, now))) {
      throw new NotFoundError('trajectory');
    }
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

/** The organisation takes part in the known trajectory at `now` (libs/consent's participation). */
export async function takesPartNow(
  facts: TrajectoryFactsPort,
  trajectoryId: string,
  organisationId: string,
  now: Date,
): Promise<boolean> {
  const known = await facts.factsOf(trajectoryId);
  return (
    known?.participations.some(
      (p) => p.organisationId === organisationId && isParticipating(p, now),
    ) ?? false
  );
}
