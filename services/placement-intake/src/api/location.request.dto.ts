import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import {
  EXPERTISES,
  FORENSIC_MIXES,
  OFFENCE_CATEGORIES,
  SUBSTANCE_POLICIES,
  type Expertise,
  type ForensicMix,
  type OffenceCategory,
  type SubstancePolicy,
} from '../domain/vocabulary';

/** A location's profile (R-LOCATION), for registering and for replacing it. */
export class LocationProfileRequestDto {
  @ApiProperty({ example: 'Huize De Brug, Oosterpoort', description: 'How the provider calls it' })
  @IsString()
  @Length(2, 120)
  @Matches(/^[\p{L}0-9 .,'()/-]+$/u, {
    message: "label may hold letters, digits, spaces and .,'()/- only",
  })
  label!: string;

  @ApiProperty({
    enum: FORENSIC_MIXES,
    description: 'Forensic clients clustered in one house or spread over regular ones',
  })
  @IsIn(FORENSIC_MIXES)
  forensicMix!: ForensicMix;

  @ApiProperty({ enum: SUBSTANCE_POLICIES })
  @IsIn(SUBSTANCE_POLICIES)
  substancePolicy!: SubstancePolicy;

  @ApiProperty({ enum: EXPERTISES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(EXPERTISES, { each: true })
  expertise!: Expertise[];

  @ApiProperty({ minimum: 0, maximum: 1000 })
  @IsInt()
  @Min(0)
  @Max(1000)
  capacity!: number;

  @ApiProperty({
    enum: OFFENCE_CATEGORIES,
    isArray: true,
    description: 'Offence categories this location does not take',
  })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(OFFENCE_CATEGORIES.length)
  @IsIn(OFFENCE_CATEGORIES, { each: true })
  excludedOffenceCategories!: OffenceCategory[];
}
