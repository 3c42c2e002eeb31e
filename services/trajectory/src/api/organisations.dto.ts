import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { ORGANISATION_KINDS, type OrganisationKind } from '../domain/organisations';
import { DATE } from './trajectory.dto';

export class OrganisationIdentifiersDto {
  @ApiPropertyOptional({ description: 'UZI-register abonneenummer (URA), 8 digits' })
  @IsOptional()
  @Matches(/^[0-9]{8}$/, { message: 'ura must be 8 digits' })
  ura?: string;

  @ApiPropertyOptional({ description: 'Organisatie-identificatienummer (OIN), 20 digits' })
  @IsOptional()
  @Matches(/^[0-9]{20}$/, { message: 'oin must be 20 digits' })
  oin?: string;

  @ApiPropertyOptional({ description: 'KvK number, 8 digits' })
  @IsOptional()
  @Matches(/^[0-9]{8}$/, { message: 'kvk must be 8 digits' })
  kvk?: string;
}

/** A registry entry without its id (the id is in the path when changing). */
export class OrganisationEntryDto {
  @ApiProperty({ enum: ORGANISATION_KINDS })
  @IsIn(ORGANISATION_KINDS)
  kind!: OrganisationKind;

  @ApiProperty({ example: 'Forensische zorg De Brug' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ type: OrganisationIdentifiersDto })
  @ValidateNested()
  @Type(() => OrganisationIdentifiersDto)
  identifiers!: OrganisationIdentifiersDto;

  @ApiProperty({ format: 'date', description: 'First active day' })
  @Matches(DATE, { message: 'activeFrom must be a date (YYYY-MM-DD)' })
  activeFrom!: string;

  @ApiPropertyOptional({ format: 'date', description: 'Last active day (inclusive)' })
  @IsOptional()
  @Matches(DATE, { message: 'activeUntil must be a date (YYYY-MM-DD)' })
  activeUntil?: string;
}

export class RegisterOrganisationDto extends OrganisationEntryDto {
  @ApiProperty({ example: 'fz-de-brug' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9-]{0,100}$/, {
    message: 'id must be lower case letters, digits and hyphens',
  })
  id!: string;
}
