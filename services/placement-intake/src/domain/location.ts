import { InvalidPlacementInputError } from './placement-errors';
import type { Expertise, ForensicMix, OffenceCategory, SubstancePolicy } from './vocabulary';

/**
 * A provider's location with its profile (R-LOCATION): forensic mix, substance policy,
 * expertise, capacity and occupancy, and the offence categories it does not take.
 */
export interface Location {
  readonly id: string;
  readonly providerOrganisationId: string;
  readonly label: string;
  readonly forensicMix: ForensicMix;
  readonly substancePolicy: SubstancePolicy;
  readonly expertise: readonly Expertise[];
  readonly capacity: number;
  readonly occupancy: number;
  readonly excludedOffenceCategories: readonly OffenceCategory[];
}

export type LocationProfile = Omit<Location, 'id' | 'providerOrganisationId' | 'occupancy'>;

export function registerLocation(
  id: string,
  providerOrganisationId: string,
  profile: LocationProfile,
): Location {
  return { id, providerOrganisationId, occupancy: 0, ...normalise(profile) };
}

/** A profile update; capacity can never drop below the residents already living there. */
export function updateLocation(l: Location, profile: LocationProfile): Location {
  if (profile.capacity < l.occupancy) {
    throw new InvalidPlacementInputError(
      'capacity-below-occupancy',
      `Capacity ${profile.capacity} is below the current occupancy ${l.occupancy}.`,
    );
  }
  return { ...l, ...normalise(profile) };
}

function normalise(p: LocationProfile): LocationProfile {
  return {
    ...p,
    expertise: [...new Set(p.expertise)],
    excludedOffenceCategories: [...new Set(p.excludedOffenceCategories)],
  };
}

/**
 * Places still free for a new acceptance: capacity minus residents minus accepted placements
 * that have not moved in yet (they hold a place).
 */
export function freePlaces(l: Pick<Location, 'capacity' | 'occupancy'>, reserved: number): number {
  return Math.max(0, l.capacity - l.occupancy - reserved);
}
