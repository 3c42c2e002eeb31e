import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  DOCUMENT_KINDS,
  NEEDS,
  OFFENCE_CATEGORIES,
  REFERRER_KINDS,
  RISK_INSTRUMENTS,
  TITLE_KINDS,
  URGENCIES,
  type DocumentKind,
  type Need,
  type OffenceCategory,
  type ReferrerKind,
  type RiskInstrument,
  type TitleKind,
  type Urgency,
} from '../domain/vocabulary';

const ORG_ID = /^[a-z0-9][a-z0-9-]{0,100}$/;
const TEXT = /^[^<>]*$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export class TitleRequestDto {
  @ApiProperty({ enum: TITLE_KINDS })
  @IsIn(TITLE_KINDS)
  kind!: TitleKind;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'startDate must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  startDate?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Give this or remainingMonths' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'expectedEndDate must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  expectedEndDate?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 600, description: 'Give this or expectedEndDate' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(600)
  remainingMonths?: number;
}

export class RiskAssessmentRequestDto {
  @ApiProperty({ enum: RISK_INSTRUMENTS })
  @IsIn(RISK_INSTRUMENTS)
  instrument!: RiskInstrument;

  @ApiProperty({
    description: 'Who made it (function, organisation)',
    example: 'Reclassering advisor',
  })
  @IsString()
  @Length(2, 200)
  @Matches(TEXT)
  author!: string;

  @ApiProperty({ format: 'date' })
  @Matches(DATE_ONLY, { message: 'assessedOn must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  assessedOn!: string;

  @ApiProperty({ description: 'Setting it was made for', example: 'sheltered housing' })
  @IsString()
  @Length(2, 200)
  @Matches(TEXT)
  setting!: string;

  @ApiPropertyOptional({ format: 'date', description: 'When the assessment expires (R-RISK)' })
  @IsOptional()
  @Matches(DATE_ONLY, { message: 'validUntil must be YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  validUntil?: string;
}

export class DocumentRequestDto {
  @ApiProperty({ enum: DOCUMENT_KINDS })
  @IsIn(DOCUMENT_KINDS)
  kind!: DocumentKind;

  @ApiPropertyOptional({ description: "Where the referrer's system keeps the document" })
  @IsOptional()
  @IsString()
  @Length(1, 300)
  @Matches(TEXT)
  reference?: string;

  @ApiPropertyOptional({
    type: RiskAssessmentRequestDto,
    description: 'Required for kind risk-assessment',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => RiskAssessmentRequestDto)
  riskAssessment?: RiskAssessmentRequestDto;
}

export class DocumentsRequestDto {
  @ApiProperty({ type: [DocumentRequestDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DocumentRequestDto)
  documents!: DocumentRequestDto[];
}

export class PlacementRequestDto {
  @ApiProperty({
    format: 'uuid',
    description: 'A trajectory this service knows (trajectory.opened)',
  })
  @IsUUID('4')
  trajectoryId!: string;

  @ApiProperty({ example: 'fz-de-brug', description: 'The provider organisation asked to place' })
  @Matches(ORG_ID)
  providerOrganisationId!: string;

  @ApiProperty({ enum: REFERRER_KINDS })
  @IsIn(REFERRER_KINDS)
  referrerKind!: ReferrerKind;

  @ApiProperty({ type: TitleRequestDto })
  @ValidateNested()
  @Type(() => TitleRequestDto)
  title!: TitleRequestDto;

  @ApiProperty({ enum: OFFENCE_CATEGORIES })
  @IsIn(OFFENCE_CATEGORIES)
  offenceCategory!: OffenceCategory;

  @ApiProperty()
  @IsBoolean()
  activeSubstanceUse!: boolean;

  @ApiProperty({ enum: NEEDS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @IsIn(NEEDS, { each: true })
  needs!: Need[];

  @ApiProperty({ enum: URGENCIES })
  @IsIn(URGENCIES)
  urgency!: Urgency;

  @ApiPropertyOptional({ description: 'Reference in the DJI placement system (Ifzo), if any' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9/_.-]{1,100}$/)
  djiPlacementReference?: string;

  @ApiPropertyOptional({
    description:
      "What you know of the client's medication that the placement must manage (medical: only the provider receives it). No identity.",
    maxLength: 1000,
  })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  @Matches(TEXT)
  medicationNotes?: string;

  @ApiProperty({ type: [DocumentRequestDto] })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DocumentRequestDto)
  documents!: DocumentRequestDto[];
}
