import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { PARTICIPANT_ROLES } from '@ketenlink/consent';
import type { DataCategory } from '@ketenlink/contracts';
import type { Entitlement } from '@ketenlink/disclosure';
import type { TrajectoryState } from '../domain/trajectory';

export const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ClientIdentityDto {
  @ApiProperty({ description: 'BSN, 9 digits passing the elfproef', example: '111222333' })
  @IsString()
  @Matches(/^[0-9]{9}$/, { message: 'bsn must be 9 digits' })
  bsn!: string;

  @ApiProperty({ example: 'J. de Vries' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ format: 'date', example: '1990-04-12' })
  @IsString()
  @Matches(DATE, { message: 'dateOfBirth must be a date (YYYY-MM-DD)' })
  dateOfBirth!: string;
}

export class OpenTrajectoryRequestDto {
  @ApiPropertyOptional({
    description: 'Region (e.g. a safety-house region) the trajectory starts in',
    example: 'Rotterdam-Rijnmond',
  })
  @IsOptional()
  @IsString()
  @Length(2, 100)
  @Matches(/^[\p{L}0-9 .'-]+$/u, {
    message: "region may hold letters, digits, spaces and . ' - only",
  })
  region?: string;

  @ApiPropertyOptional({
    enum: PARTICIPANT_ROLES,
    description:
      'Role the opening organisation takes in the trajectory. Defaults: referrer → referrer, ' +
      'zvh-coordinator → zvh, probation-officer → probation; required for a coordinator.',
  })
  @IsOptional()
  @IsIn(PARTICIPANT_ROLES)
  participantRole?: (typeof PARTICIPANT_ROLES)[number];

  @ApiPropertyOptional({
    type: ClientIdentityDto,
    description: 'Stored encrypted in the identity vault; never leaves this service',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClientIdentityDto)
  client?: ClientIdentityDto;
}

class OpenedByDto {
  @ApiProperty() organisationId!: string;
  @ApiProperty({ enum: ['referrer', 'coordinator'] }) role!: string;
}

/** A trajectory as the caller may see it: each field only when its category is permitted. */
export class TrajectoryResponseDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Pseudonymous trajectory id: the only id that leaves this service',
  })
  id!: string;
  @ApiProperty({ format: 'date-time' }) openedAt!: string;
  @ApiPropertyOptional({ type: OpenedByDto, description: 'category participation' })
  openedBy?: OpenedByDto;
  @ApiPropertyOptional({ description: 'category contact-and-logistics' }) region?: string;
  @ApiProperty({ description: 'Fields left out for lack of entitlement' })
  withheld!: string[];

  static from(
    state: TrajectoryState,
    entitlement: Pick<Entitlement, 'permitted'>,
  ): { body: TrajectoryResponseDto; categories: DataCategory[] } {
    const t = state.trajectory;
    const may = (c: DataCategory) => entitlement.permitted.has(c);
    const categories: DataCategory[] = ['metadata'];
    const withheld: string[] = [];
    const body: TrajectoryResponseDto = { id: t.id, openedAt: t.openedAt.toISOString(), withheld };
    if (may('participation')) {
      body.openedBy = { organisationId: t.openedBy.organisationId, role: t.openedBy.role };
      categories.push('participation');
    } else withheld.push('openedBy');
    if (t.region) {
      if (may('contact-and-logistics')) {
        body.region = t.region;
        categories.push('contact-and-logistics');
      } else withheld.push('region');
    }
    return { body, categories };
  }
}

export class IdentityResponseDto {
  @ApiProperty() bsn!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'date' }) dateOfBirth!: string;
}

export class TimelineItemDto {
  @ApiProperty() eventId!: string;
  @ApiProperty({ example: 'nl.ketenlink.title.registered.v1' }) type!: string;
  @ApiProperty() source!: string;
  @ApiProperty({ format: 'date-time' }) time!: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Filtered payload' })
  data!: Record<string, unknown>;
  @ApiProperty({ type: [String] }) withheld!: string[];
  @ApiProperty({ type: [String] }) categories!: string[];
}

export class TimelineResponseDto {
  @ApiProperty() trajectoryId!: string;
  @ApiProperty({ type: [TimelineItemDto] }) items!: TimelineItemDto[];
}
