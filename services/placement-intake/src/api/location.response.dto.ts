import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LocationView } from '../application/locations/locations.service';
import {
  EXPERTISES,
  FORENSIC_MIXES,
  OFFENCE_CATEGORIES,
  SUBSTANCE_POLICIES,
} from '../domain/vocabulary';

class ResidentDto {
  @ApiProperty({ format: 'uuid' }) placementId!: string;
  @ApiProperty({ format: 'date-time' }) movedInAt!: string;
}

/**
 * A location as its placement officers see it. R-LOCATION: nothing about a resident's legal
 * title (nor offence, needs or medical data) appears here, only placement ids and move-in dates.
 */
export class LocationResponseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() providerOrganisationId!: string;
  @ApiProperty() label!: string;
  @ApiProperty({ enum: FORENSIC_MIXES }) forensicMix!: string;
  @ApiProperty({ enum: SUBSTANCE_POLICIES }) substancePolicy!: string;
  @ApiProperty({ enum: EXPERTISES, isArray: true }) expertise!: string[];
  @ApiProperty() capacity!: number;
  @ApiProperty({ description: 'Residents living there now' }) occupancy!: number;
  @ApiProperty({ description: 'Accepted placements that have not moved in yet' }) reserved!: number;
  @ApiProperty() freePlaces!: number;
  @ApiProperty({ enum: OFFENCE_CATEGORIES, isArray: true }) excludedOffenceCategories!: string[];
  @ApiPropertyOptional({ type: [ResidentDto] }) residents?: ResidentDto[];

  static from(
    v: LocationView & { residents?: { placementId: string; movedInAt: Date }[] },
  ): LocationResponseDto {
    const l = v.location;
    return {
      id: l.id,
      providerOrganisationId: l.providerOrganisationId,
      label: l.label,
      forensicMix: l.forensicMix,
      substancePolicy: l.substancePolicy,
      expertise: [...l.expertise],
      capacity: l.capacity,
      occupancy: l.occupancy,
      reserved: v.reserved,
      freePlaces: v.freePlaces,
      excludedOffenceCategories: [...l.excludedOffenceCategories],
      ...(v.residents
        ? {
            residents: v.residents.map((r) => ({
              placementId: r.placementId,
              movedInAt: r.movedInAt.toISOString(),
            })),
          }
        : {}),
    };
  }
}
